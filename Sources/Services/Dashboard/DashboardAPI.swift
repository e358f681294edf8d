import ServiceKit

extension DashboardService {
    /// The dashboard's promises, checked against every answer it gives in the acceptance run.
    public var apiDocument: APIDocument? { Self.document }

    static let counts = Schema(["type": "object", "additionalProperties": ["type": "integer"]])

    static let document = APIDocument(
        title: "dashboard", summary: "A merchant's summary over payments and fraud, signed in with its API key.",
        operations: [
            .init(.get, "/summary", "Recent debits by status and fraud's statistics (`?limit=`, `?window=`).", responses: ["200": .object([
                "generated_at": .string,
                "debits": .object(["window": .integer, "count": .integer, "total": .integer,
                                   "by_status": Schema(["type": "object", "additionalProperties": Schema.object(["count": .integer, "amount": .integer]).json])]),
                "fraud": .object(["window_seconds": .integer, "checks": .integer, "average_score": Schema.number.orNull, "csc_checks": counts,
                                  "decisions": counts]),
            ])]),
            .init(.get, "/summary/history", "The headline figures of the summaries served, newest first (`?limit=`).", responses: ["200": .array(.object([
                "generated_at": .string, "debits": .integer, "succeeded_volume": .integer, "checks": .integer, "average_score": Schema.number.orNull,
            ]))]),
        ],
        schemas: [:])
}
