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
        Schema([
            "type": "object", "properties": [plural: Schema.array(item).json, "links": links.json, "meta": Schema.ref("Meta").json],
            "required": [.string(plural), "links"], "additionalProperties": false,
        ])
    }

    static let resources: [(plural: String, schema: String)] = [
        ("customers", "Customer"), ("cards", "Card"), ("card_holds", "CardHold"), ("debits", "Debit"), ("refunds", "Refund"),
    ]

    static func one(_ plural: String) -> Schema { .ref(resources.first { $0.plural == plural }!.schema + "s") }

    /// What holds for every operation: how requests are read, what `PUT` ignores, and Balanced's statuses.
    static let description = """
        Balanced's API, revision 1.1, for card payments. Requests are read as Balanced read them, which is looser than a strict \
        schema, and each schema here says how: unknown keys are ignored; a resource may be sent flat (`{"amount": 100}`) or in its \
        envelope (`{"debits": [{"amount": 100}]}`); a whole number may be sent as a string of its digits (`"50"`, `"05"`) and a text \
        field as an integer. A body may also be a form with bracket keys (`application/x-www-form-urlencoded`, `meta[color]=red`), \
        every value a string, read as the JSON it spells; this document describes the JSON.

        `PUT` merges the fields it names into the resource and ignores every other field, as Balanced did: its clients save a \
        resource by sending back every field they hold, read-only ones included (`amount`, `status`, `created_at`, …), so those \
        are neither refused nor changed. `PATCH` is RFC 6902 on the envelope (`/cards/0/meta/color`), then the same merge.

        Errors are Balanced's envelope, `{"errors": [{…}]}`, one error: 400 for a request that breaks these schemas, 401 for a \
        missing or unknown key, 402 when the card's bank declines (the failed resource rides along), 404 for what is not the \
        marketplace's (also a card or customer a body names), 409 for what the resource's state refuses (a hold already \
        captured, a failed JSON Patch `test`, a card that does not validate, an `Idempotency-Key` reused with another body).
        """

    static var operations: [APIDocument.Operation] {
        var operations: [APIDocument.Operation] = [
            .init(
                .post, "/api_keys", "Creates an API key; the secret is shown once.",
                description: "Without a key, the new key opens a new marketplace; with one, it is another key to the caller's.",
                request: body("api_keys", "NewAPIKey"), requestRequired: false,
                access: .optional, responses: ["201": "APIKeys"]),
            .init(.get, "/api_keys", "The marketplace's keys.", responses: ["200": "APIKeys"]),
            .init(.get, "/api_keys/{id}", "One key.", responses: ["200": "APIKeys"]),
            .init(
                .post, "/marketplaces", "Opens the key's marketplace.",
                request: body("marketplaces", "NewMarketplace"), requestRequired: false,
                responses: ["201": "Marketplaces"]),
            .init(.get, "/marketplaces", "The key's marketplace, with its escrow balance.", responses: ["200": "Marketplaces"]),
            .init(
                .post, "/customers", "Creates a customer; fraud underwrites it.", request: body("customers", "CustomerFields"),
                requestRequired: false, responses: ["201": one("customers")]),
            .init(.delete, "/customers/{id}", "Deletes a customer.", responses: ["204": nil]),
            .init(.get, "/customers/{id}/accounts", "A customer's accounts (none here).", responses: ["200": envelope("accounts", .any)]),
            .init(
                .post, "/customers/{id}/debits", "Debits the customer's source card.",
                description: "A customer without a source is a 409 no-funding-source; a `source` in the body is ignored.",
                request: body("debits", "Charge"), parameters: [idempotencyKey], responses: ["201": one("debits")]),
            .init(
                .post, "/cards", "Tokenizes a card; without a key (a browser) the answer is the token alone.",
                request: body("cards", "NewCard"), access: .optional,
                responses: [
                    "201": Schema(["anyOf": [one("cards").json, envelope("cards", .object(["id": .string, "href": .string, "links": links])).json]])
                ]),
            .init(.delete, "/cards/{id}", "Deletes a card.", responses: ["204": nil]),
            .init(
                .post, "/cards/{id}/debits", "Debits a card.", request: body("debits", "Charge"), parameters: [idempotencyKey],
                responses: ["201": one("debits")]),
            .init(
                .post, "/cards/{id}/card_holds", "Holds an amount on a card for seven days.", request: body("card_holds", "Charge"),
                parameters: [idempotencyKey], responses: ["201": one("card_holds")]),
            .init(.delete, "/card_holds/{id}", "Voids a hold.", responses: ["200": one("card_holds")]),
            .init(
                .post, "/card_holds/{id}/debits", "Captures a hold as a debit.",
                description: "`amount` defaults to the hold's; more than the hold's is a 400 invalid-amount.",
                request: body("debits", "Capture"), requestRequired: false, parameters: [idempotencyKey], responses: ["201": one("debits")]),
            .init(
                .post, "/debits", "Debits a card named by `source` (href, id, or an inline card).", request: body("debits", "DebitOfSource"),
                parameters: [idempotencyKey], responses: ["201": one("debits")]),
            .init(
                .post, "/debits/{id}/refunds", "Refunds a debit, by default all that is left.",
                description: "More than is left to refund is a 400 invalid-amount, as in Balanced's specification.",
                request: body("refunds", "NewRefund"), requestRequired: false, parameters: [idempotencyKey], responses: ["201": one("refunds")]),
            .init(
                .get, "/resources/{id}", "Any resource by id.",
                responses: ["200": Schema(["anyOf": .array(resources.map { one($0.plural).json })])]),
        ]
        for (plural, _) in resources {
            let update = "Merges \(updatable[plural]!). Every other field is ignored, not refused (read-only ones among them), as Balanced did."
            operations.append(
                .init(
                    .get, "/\(plural)", "A page of \(plural), newest first.", description: filtering(plural),
                    parameters: paging(plural), responses: ["200": one(plural)]))
            operations.append(.init(.get, "/\(plural)/{id}", "One of the \(plural).", responses: ["200": one(plural)]))
            operations.append(
                .init(
                    .put, "/\(plural)/{id}", "Merges the fields given.", description: update,
                    request: body(plural, updates[plural]!.name), requestRequired: false, responses: ["200": one(plural)]))
            operations.append(
                .init(
                    .patch, "/\(plural)/{id}", "Applies an RFC 6902 JSON Patch to the envelope.",
                    description: """
                        The patched envelope's resource is then merged as `PUT` merges it: \(update) A patch that cannot be applied to the \
                        resource as it is (a path it lacks, the resource removed, a value its field refuses) is a 409 patch-conflict, a \
                        failed `test` a 409 patch-test-failed.
                        """, request: "Patch", responses: ["200": one(plural)]))
        }
        for (parent, plural) in [
            ("customers", "cards"), ("customers", "debits"), ("cards", "debits"), ("cards", "card_holds"),
            ("card_holds", "debits"), ("debits", "refunds"),
        ] {
            operations.append(
                .init(
                    .get, "/\(parent)/{id}/\(plural)", "A page of the \(parent.dropLast())'s \(plural).",
                    description: filtering(plural), parameters: paging(plural), responses: ["200": one(plural)]))
        }
        for plural in ["bank_accounts", "credits", "disputes", "reversals", "orders", "refunds", "card_holds"] {
            operations.append(.init(.get, "/customers/{id}/\(plural)", "Empty: not implemented here.", responses: ["200": envelope(plural, .any)]))
        }
        operations.append(.init(.get, "/cards/{id}/disputes", "Empty: not implemented here.", responses: ["200": envelope("disputes", .any)]))
        return operations
    }

    static var schemas: [String: Schema] {
        var schemas: [String: Schema] = [
            "Charge": charge(),
            "Capture": noneRequired(charge(amountRequired: false)),
            "DebitOfSource": debitOfSource,
            "NewRefund": newRefund,
            "NewAPIKey": noneRequired(.object(["meta": metaIn], optional: ["meta"], open: true)),
            "NewMarketplace": noneRequired(.object(["name": textIn], optional: ["name"], open: true)),
            "NewCard": newCard,
            "Patch": patch,
            "Pointer": Schema.matching("(?:/[\\s\\S]*)?").described("An RFC 6901 JSON Pointer: empty, or `/` and the keys (`/cards/0/meta/color`)."),
            "Meta": .object([
                "limit": .integer, "offset": .integer, "total": .integer, "href": .string, "first": .string, "last": .string,
                "next": text, "previous": text,
            ]),
            "APIKeys": envelope(
                "api_keys",
                .object(
                    [
                        "id": .string, "href": .string, "created_at": .string, "meta": .strings, "links": links,
                        "scopes": .array(.string), "secret": .string,
                    ], optional: ["secret"])),
            "Marketplaces": envelope(
                "marketplaces",
                .object([
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
                "transaction_number": .string, "amount": .integer(Fields.amounts), "currency": .string, "description": text, "status": status,
                "failure_reason_code": text, "failure_reason": text, "meta": .strings, "links": .object(["card": .string, "debit": text]),
            ]),
            "Debit": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "amount": .integer(Fields.amounts), "currency": .string,
                "appears_on_statement_as": .string, "description": text, "status": status, "failure_reason_code": text, "failure_reason": text,
                "transaction_number": .string, "meta": .strings,
                "links": .object(["source": .string, "customer": text, "order": text, "dispute": text, "card_hold": text]),
            ]),
            "Refund": .object([
                "id": .string, "href": .string, "created_at": .string, "updated_at": .string, "amount": .integer(Fields.amounts), "currency": .string,
                "description": text, "status": status, "transaction_number": .string, "meta": .strings,
                "links": .object(["debit": .string, "order": text, "dispute": text]),
            ]),
        ]
        for (plural, schema) in resources { schemas[schema + "s"] = envelope(plural, .ref(schema)) }
        for update in updates.values { schemas[update.name] = update.schema }
        return schemas
    }

    static let document = APIDocument(
        title: "payments", summary: "A card-payments API in the style of Balanced's (revision 1.1): HTTP Basic with the key's secret.",
        description: description,
        security: .basic("Your API key's secret as the user name, an empty password (`curl -u ak-test-…:`)."),
        operations: operations, schemas: schemas, errors: .balanced)
}
