import ServiceKit

extension FraudService {
    /// Fraud's promises, checked against every answer it gives in the acceptance run.
    public var apiDocument: APIDocument? { Self.document }

    static let document = APIDocument(
        title: "fraud", summary: "Scores a payment before money moves, reports the issuer's verdict on the security code, underwrites merchants.",
        operations: [
            .init(.post, "/checks", "Scores a charge on a card for the marketplace in X-Tenant.",
                  request: .object(["card_id": .string, "amount": .integer, "currency": .string, "cvv_match": .oneOf("yes", "no", "unsupported").orNull,
                                    "brand": .string], optional: ["cvv_match", "brand"], open: true),
                  responses: ["201": "Check"]),
            .init(.get, "/checks/stats", "A marketplace's checks over a window (`?window=` seconds).", responses: ["200": "Stats"]),
            .init(.get, "/checks/{id}", "One check.", responses: ["200": "Check"]),
            .init(.post, "/underwriting", "Whether a merchant can be underwritten from what it says of itself.",
                  request: Schema(["type": "object"]), responses: ["200": .object(["merchant_status": .oneOf("underwritten", "no-match", "rejected"),
                                                                                  "missing": .array(.string)])]),
        ],
        schemas: [
            "Check": .object([
                "id": .string, "card_id": .string, "amount": .integer, "currency": .string, "score": .integer,
                "decision": .oneOf("accept", "review", "reject"), "csc_check": .oneOf("pass", "fail", "unavailable"),
                "reasons": .array(.string), "created_at": .string,
            ]),
            "Stats": .object([
                "window_seconds": .integer, "checks": .integer, "average_score": Schema.number.orNull,
                "decisions": Schema(["type": "object", "additionalProperties": ["type": "integer"]]),
                "csc_checks": Schema(["type": "object", "additionalProperties": ["type": "integer"]]),
            ]),
        ])
}
