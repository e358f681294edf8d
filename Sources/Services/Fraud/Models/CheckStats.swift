import Foundation
import GRDB
import ServiceKit

/// Aggregates of the checks in a recent window, computed in SQL over the `created_at` index.
///
/// The cost follows the number of checks in the window, not the size of the table.
public struct CheckStats: Equatable, Sendable {
    public var windowSeconds: Int
    public var checks = 0
    public var scoreTotal = 0
    public var decisions: [String: Int] = ["accept": 0, "review": 0, "reject": 0]
    public var cscChecks: [String: Int] = ["pass": 0, "fail": 0, "unavailable": 0]

    public static func recent(seconds: Int, now: Date, in db: Database) throws -> CheckStats {
        var stats = CheckStats(windowSeconds: seconds)
        let rows = try Row.fetchAll(db, sql: """
            SELECT decision, csc_check, COUNT(*) AS n, SUM(score) AS total
            FROM fraud_check WHERE created_at >= ? GROUP BY decision, csc_check
            """, arguments: [now.addingTimeInterval(-Double(seconds)).microsecondsSince1970])
        for row in rows {
            let n: Int = row["n"]
            stats.checks += n
            stats.scoreTotal += row["total"] as Int
            stats.decisions[row["decision"], default: 0] += n
            stats.cscChecks[row["csc_check"], default: 0] += n
        }
        return stats
    }

    public var averageScore: Double? { checks == 0 ? nil : Double(scoreTotal) / Double(checks) }

    public var json: JSON {
        [
            "window_seconds": .number(Double(windowSeconds)), "checks": .number(Double(checks)),
            "average_score": averageScore.map(JSON.number) ?? .null,
            "decisions": .object(decisions.mapValues { .number(Double($0)) }),
            "csc_checks": .object(cscChecks.mapValues { .number(Double($0)) }),
        ]
    }
}
