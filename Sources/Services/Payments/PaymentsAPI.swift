import HTTPTypes
import ServiceKit

extension PaymentsService {
    /// Payments' promises, following Balanced's API (revision 1.1), checked against every answer it
    /// gives in the acceptance run.
    public var apiDocument: APIDocument? { PaymentsAPI.document }
}

/// Balanced's resources, envelopes and routes as payments serves them.
enum PaymentsAPI {
    static let text = Schema.string.orNull
    static let integer = Schema.integer.orNull
    static let status = Schema.oneOf("succeeded", "failed", "pending")
    static let address = Schema(["type": "object", "additionalProperties": ["type": ["string", "null"]]])
    static let links = Schema(["type": "object"])

    /// `{"<plural>": [resource], "links": {…}}`, and `meta` on a page.
    static func envelope(_ plural: String, _ item: Schema) -> Schema {
        Schema(["type": "object", "properties": [plural: Schema.array(item).json, "links": links.json, "meta": Schema.ref("Meta").json],
                "required": [.string(plural), "links"], "additionalProperties": false])
    }

    static let resources: [(plural: String, schema: String)] = [
        ("customers", "Customer"), ("cards", "Card"), ("card_holds", "CardHold"), ("debits", "Debit"), ("refunds", "Refund"),
    ]

    static func one(_ plural: String) -> Schema { .ref(resources.first { $0.plural == plural }!.schema + "s") }

    /// What a charge may say: the flat form (Balanced's clients also send `{"debits": [{…}]}` and bracket forms).
    static let charge = Schema.object([
        "amount": Schema(["type": "integer", "minimum": 1]), "currency": .oneOf("USD"), "description": .string,
        "appears_on_statement_as": .string, "meta": .strings, "source": Schema(["anyOf": [Schema.string.json, Schema.ref("NewCard").json]]),
    ], optional: ["currency", "description", "appears_on_statement_as", "meta", "source"])
    static let settling = Schema.object(["amount": Schema(["type": "integer", "minimum": 1]), "description": .string, "meta": .strings],
                                        optional: ["amount", "description", "meta"])

    static var operations: [APIDocument.Operation] {
        var operations: [APIDocument.Operation] = [
            .init(.post, "/api_keys", "Creates an API key (and its marketplace); the secret is shown once.", responses: ["201": "APIKeys"]),
            .init(.get, "/api_keys", "The marketplace's keys.", responses: ["200": "APIKeys"]),
            .init(.get, "/api_keys/{id}", "One key.", responses: ["200": "APIKeys"]),
            .init(.post, "/marketplaces", "Opens the key's marketplace.", responses: ["201": "Marketplaces"]),
            .init(.get, "/marketplaces", "The key's marketplace, with its escrow balance.", responses: ["200": "Marketplaces"]),
            .init(.post, "/customers", "Creates a customer; fraud underwrites it.",
                  request: .object(["name": .string, "email": .string, "phone": .string, "business_name": .string, "ein": .string,
                                    "address": address, "meta": .strings, "source": .string],
                                   optional: ["name", "email", "phone", "business_name", "ein", "address", "meta", "source"], open: true),
                  responses: ["201": one("customers")]),
            .init(.delete, "/customers/{id}", "Deletes a customer.", responses: ["204": nil]),
            .init(.get, "/customers/{id}/accounts", "A customer's accounts (none here).", responses: ["200": envelope("accounts", .any)]),
            .init(.post, "/customers/{id}/debits", "Debits the customer's source card.", request: "Charge", responses: ["201": one("debits")]),
            .init(.post, "/cards", "Tokenizes a card; without a key (a browser) the answer is the token alone.", request: "NewCard",
                  responses: ["201": Schema(["anyOf": [one("cards").json, envelope("cards", .object(["id": .string, "href": .string, "links": links])).json]])]),
            .init(.delete, "/cards/{id}", "Deletes a card.", responses: ["204": nil]),
            .init(.post, "/cards/{id}/debits", "Debits a card.", request: "Charge", responses: ["201": one("debits")]),
            .init(.post, "/cards/{id}/card_holds", "Holds an amount on a card for seven days.", request: "Charge", responses: ["201": one("card_holds")]),
            .init(.delete, "/card_holds/{id}", "Voids a hold.", responses: ["200": one("card_holds")]),
            .init(.post, "/card_holds/{id}/debits", "Captures a hold as a debit.", request: "Settling", responses: ["201": one("debits")]),
            .init(.post, "/debits", "Debits a card named by `source` (href, id, or an inline card).", request: "Charge", responses: ["201": one("debits")]),
            .init(.post, "/debits/{id}/refunds", "Refunds a debit, by default all that is left.", request: "Settling", responses: ["201": one("refunds")]),
            .init(.get, "/resources/{id}", "Any resource by id.",
                  responses: ["200": Schema(["anyOf": .array(resources.map { one($0.plural).json })])]),
        ]
        for (plural, _) in resources {
            operations.append(.init(.get, "/\(plural)", "A page of \(plural), newest first (`?limit=`, `?offset=`).", responses: ["200": one(plural)]))
            operations.append(.init(.get, "/\(plural)/{id}", "One of the \(plural).", responses: ["200": one(plural)]))
            operations.append(.init(.put, "/\(plural)/{id}", "Merges the fields given.", responses: ["200": one(plural)]))
            operations.append(.init(.patch, "/\(plural)/{id}", "Applies an RFC 6902 JSON Patch to the envelope.", responses: ["200": one(plural)]))
        }
        for (parent, plural) in [("customers", "cards"), ("customers", "debits"), ("cards", "debits"), ("cards", "card_holds"),
                                 ("card_holds", "debits"), ("debits", "refunds")] {
            operations.append(.init(.get, "/\(parent)/{id}/\(plural)", "A page of the \(parent.dropLast())'s \(plural).", responses: ["200": one(plural)]))
        }
        for plural in ["bank_accounts", "credits", "disputes", "reversals", "orders", "refunds", "card_holds"] {
            operations.append(.init(.get, "/customers/{id}/\(plural)", "Empty: not implemented here.", responses: ["200": envelope(plural, .any)]))
        }
        operations.append(.init(.get, "/cards/{id}/disputes", "Empty: not implemented here.", responses: ["200": envelope("disputes", .any)]))
        return operations
    }

    static var schemas: [String: Schema] {
        var schemas: [String: Schema] = [
            "Charge": charge,
            "Settling": settling,
            "NewCard": .object([
                "number": Schema(["type": "string", "pattern": "^[0-9]{12,19}$", "examples": ["4111111111111111"]]),
                "expiration_month": Schema(["type": "integer", "minimum": 1, "maximum": 12]),
                "expiration_year": Schema(["type": "integer", "minimum": 2000, "maximum": 2099]),
                "cvv": Schema(["type": "string", "pattern": "^[0-9]{3,4}$"]), "name": .string, "address": address, "meta": .strings,
            ], optional: ["cvv", "name", "address", "meta"]),
            "Meta": .object(["limit": .integer, "offset": .integer, "total": .integer, "href": .string, "first": .string, "last": .string,
                             "next": text, "previous": text]),
            "APIKeys": envelope("api_keys", .object(["id": .string, "href": .string, "created_at": .string, "meta": .strings, "links": links,
                                                    "scopes": .array(.string), "secret": .string], optional: ["secret"])),
            "Marketplaces": envelope("marketplaces", .object([
                "id": .string, "href": .string, "name": .string, "created_at": .string, "updated_at": .string, "in_escrow": .integer,
                "unsettled_fees": .integer, "domain_url": .string, "support_email_address": .string, "support_phone_number": .string,
                "production": .boolean, "meta": .strings, "links": .object(["owner_customer": .string], optional: ["owner_customer"]),
            ])),
            "Customer": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "name": text, "business_name": text,
                "email": text, "phone": text, "ssn_last4": text, "ein": text, "dob_month": integer, "dob_year": integer,
                "merchant_status": .oneOf("underwritten", "no-match", "rejected"), "address": address, "meta": .strings,
                "links": .object(["source": text, "destination": text]),
            ]),
            "Card": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "name": text, "number": .string,
                "expiration_month": .integer, "expiration_year": .integer, "cvv": Schema.oneOf("xxx").orNull,
                "cvv_match": Schema.oneOf("yes", "no", "unsupported").orNull, "cvv_result": Schema.oneOf("Match", "No Match", "Not Processed").orNull,
                "address": address, "avs_street_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "avs_postal_match": Schema.oneOf("yes", "no", "unsupported").orNull, "avs_result": text, "fingerprint": .string,
                "brand": .oneOf("Visa", "MasterCard", "American Express", "Discover"), "is_verified": .boolean, "can_debit": .boolean,
                "can_credit": .boolean, "type": .oneOf("credit"), "category": .oneOf("other"), "bank_name": .string, "meta": .strings,
                "links": .object(["customer": text]),
            ]),
            "CardHold": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "expires_at": .string, "voided_at": text,
                "transaction_number": .string, "amount": .integer, "currency": .string, "description": text, "status": status,
                "failure_reason_code": text, "failure_reason": text, "meta": .strings, "links": .object(["card": .string, "debit": text]),
            ]),
            "Debit": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "amount": .integer, "currency": .string,
                "appears_on_statement_as": .string, "description": text, "status": status, "failure_reason_code": text, "failure_reason": text,
                "transaction_number": .string, "meta": .strings,
                "links": .object(["source": .string, "customer": text, "order": text, "dispute": text, "card_hold": text]),
            ]),
            "Refund": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "amount": .integer, "currency": .string,
                "description": text, "status": status, "transaction_number": .string, "meta": .strings,
                "links": .object(["debit": .string, "order": text, "dispute": text]),
            ]),
        ]
        for (plural, schema) in resources { schemas[schema + "s"] = envelope(plural, .ref(schema)) }
        return schemas
    }

    static let document = APIDocument(
        title: "payments", summary: "A card-payments API in the style of Balanced's (revision 1.1): HTTP Basic with the key's secret.",
        operations: operations, schemas: schemas)
}
