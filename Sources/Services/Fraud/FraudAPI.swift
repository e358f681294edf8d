import ServiceKit

extension FraudService {
    /// Fraud's promises, checked against every answer it gives in the acceptance run.
    public var apiDocument: APIDocument? { Self.document }

    static let tenant = APIDocument.Parameter.header(
        "X-Tenant", .string,
        """
        The marketplace the call is for; it must be the service credential's tenant (a 403 otherwise). Checks and their \
        statistics are kept apart by marketplace.
        """)

    static let document = APIDocument(
        title: "fraud", summary: "Scores a payment before money moves, reports the issuer's verdict on the security code, underwrites merchants.",
        description: "Internal: only the services each route names may call it. Unknown keys in a body are ignored.",
        security: .serviceCredential,
        operations: [
            .init(
                .post, "/checks", "Scores a charge on a card for the marketplace in X-Tenant.",
                request: .object(
                    [
                        "card_id": .string, "amount": .integer(ChecksController.amounts),
                        "currency": Schema.matching(ChecksController.currencyPattern).described("Any case; kept in capitals."),
                        "cvv_match": Schema.oneOf("yes", "no", "unsupported").orNull, "brand": Schema.string.orNull,
                    ],
                    optional: ["cvv_match", "brand"], open: true),
                parameters: [tenant], responses: ["201": "Check"]),
            .init(
                .get, "/checks/stats", "A marketplace's checks over a window.",
                parameters: [.query("window", .integer(ChecksController.windows), "Seconds back from now (3600 unless given)."), tenant],
                responses: ["200": "Stats"]),
            .init(.get, "/checks/{id}", "One check.", parameters: [tenant], responses: ["200": "Check"]),
            .init(
                .post, "/underwriting", "Whether a merchant can be underwritten from what it says of itself.",
                description: """
                    A person is matched by `name`, `dob_month`, `dob_year` and a five-digit `postal_code`, a business by \
                    `business_name` and a nine-digit `ein`; a field missing, or of no use (a number where a name goes), counts as \
                    not given, and the answer is `no-match` with what was missing.
                    """,
                request: .object(
                    ["name": .any, "business_name": .any, "ein": .any, "dob_month": .any, "dob_year": .any, "postal_code": .any],
                    optional: ["name", "business_name", "ein", "dob_month", "dob_year", "postal_code"], open: true),
                responses: ["200": .object(["merchant_status": .oneOf("underwritten", "no-match", "rejected"), "missing": .array(.string)])]),
        ],
        schemas: [
            "Check": .object([
                "id": .string, "card_id": .string, "amount": .integer(ChecksController.amounts), "currency": .string, "score": .integer,
                "decision": .oneOf("accept", "review", "reject"), "csc_check": .oneOf("pass", "fail", "unavailable"),
                "reasons": .array(.string), "created_at": .string,
            ]),
            "Stats": .object([
                "window_seconds": .integer, "checks": .integer, "average_score": Schema.number.orNull,
                "decisions": Schema(["type": "object", "additionalProperties": ["type": "integer"]]),
                "csc_checks": Schema(["type": "object", "additionalProperties": ["type": "integer"]]),
            ]),
        ], errors: .balanced)
}
