import ServiceKit

extension DashboardService {
    /// The dashboard's promises, checked against every answer it gives in the acceptance run.
    public var apiDocument: APIDocument? { Self.document }

    static let counts = Schema(["type": "object", "additionalProperties": ["type": "integer"]])

    static let document = APIDocument(
        title: "dashboard", summary: "A merchant's summary over payments and fraud, signed in with its API key.",
        security: .basic("The merchant's payments API key secret as the user name, an empty password: the dashboard asks payments whose it is."),
        operations: [
            .init(
                .get, "/summary", "Recent debits by status and fraud's statistics.",
                parameters: [
                    .query("limit", .integer(SummaryController.limits), "How many of the newest debits to count (100 unless given)."),
                    .query("window", .integer(SummaryController.windows), "Seconds of fraud's checks to count (3600 unless given)."),
                ],
                responses: [
                    "200": .object([
                        "generated_at": .string,
                        "debits": .object([
                            "window": .integer, "count": .integer, "total": .integer,
                            "by_status": Schema([
                                "type": "object", "additionalProperties": Schema.object(["count": .integer, "amount": .integer]).json,
                            ]),
                        ]),
                        "fraud": .object([
                            "window_seconds": .integer, "checks": .integer, "average_score": Schema.number.orNull, "csc_checks": counts,
                            "decisions": counts,
                        ]),
                    ])
                ]),
            .init(
                .get, "/summary/history", "The headline figures of the summaries served, newest first.",
                parameters: [
                    .query("limit", .integer(SummaryController.limits), "How many summaries (10 unless given).")
                ],
                responses: [
                    "200": .array(
                        .object([
                            "generated_at": .string, "debits": .integer, "succeeded_volume": .integer, "checks": .integer,
                            "average_score": Schema.number.orNull,
                        ]))
                ]),
        ],
        schemas: [:], errors: .balanced)
}
