import ServiceKit

extension VaultService {
    /// Vault's promises, checked against every answer it gives in the acceptance run.
    public var apiDocument: APIDocument? { Self.document }

    static let settlement = Schema.object(["id": .string, "order_id": .string, "status": .oneOf("captured", "reversed", "refunded"), "amount": .integer])

    static let document = APIDocument(
        title: "vault", summary: "Tokenizes card numbers, keeps them encrypted, and is the only service that talks to the card processor.",
        operations: [
            .init(.post, "/cards", "Validates, verifies with the processor and tokenizes a card.",
                  request: .object(["number": .any, "expiration_month": .any, "expiration_year": .any, "cvv": .any, "name": .any,
                                    "address": .any], optional: ["cvv", "name", "address"], open: true),
                  responses: ["201": "Card"]),
            .init(.get, "/cards/{id}", "A card, without its number.", responses: ["200": "Card"]),
            .init(.delete, "/cards/{id}", "Erases a card's number; the card stays readable and is never charged again.",
                  responses: ["204": nil]),
            .init(.post, "/authorizations", "Asks the processor to approve a charge on a card.",
                  request: .object(["card_id": .string, "amount": .integer, "currency": .string, "order_id": .string, "capture": .boolean,
                                    "statement_name": .string], optional: ["statement_name"]),
                  responses: ["201": .object(["id": .string, "order_id": .string, "status": .oneOf("approved", "declined"), "amount": .integer,
                                              "currency": .string, "response_code": .string, "message": .string])]),
            .init(.post, "/authorizations/{id}/captures", "Captures an approved hold.",
                  request: .object(["amount": .integer], optional: ["amount"]), responses: ["201": settlement]),
            .init(.post, "/authorizations/{id}/reversals", "Voids an approval.", request: .object([:]), responses: ["201": settlement]),
            .init(.post, "/authorizations/{id}/refunds", "Refunds part of a captured charge.",
                  request: .object(["amount": .integer, "reference": .string]), responses: ["201": settlement]),
        ],
        schemas: [
            "Card": .object([
                "id": .string, "fingerprint": .string, "bin": .string, "last_four": .string,
                "brand": .oneOf("Visa", "MasterCard", "American Express", "Discover"),
                "expiration_month": .integer, "expiration_year": .integer, "cvv_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "name": Schema.string.orNull, "address": "Address",
                "avs_street_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "avs_postal_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "bank_name": .string, "created_at": .string,
            ]),
            "Address": .object(["line1": Schema.string.orNull, "line2": Schema.string.orNull, "city": Schema.string.orNull,
                                "state": Schema.string.orNull, "postal_code": Schema.string.orNull, "country_code": Schema.string.orNull]),
        ])
}
