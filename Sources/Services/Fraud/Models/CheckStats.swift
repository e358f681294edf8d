import Foundation
import GRDB
import ServiceKit

/// Aggregates of the checks in a recent window, to the minute, read from per-minute totals.
///
/// The cost follows the number of minutes in the window, not the number of checks or the size of
/// the table: a merchant's dashboard costs the same on a quiet day and a busy one.
struct CheckStats: Equatable, Sendable {
    var windowSeconds: Int
    var checks = 0
    var scoreTotal = 0
    var decisions: [String: Int] = ["accept": 0, "review": 0, "reject": 0]
    var cscChecks: [String: Int] = ["pass": 0, "fail": 0, "unavailable": 0]

    static func recent(seconds: Int, tenant: String, now: Date, in db: Database) throws -> CheckStats {
        var stats = CheckStats(windowSeconds: seconds)
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT decision, csc_check, SUM(checks) AS n, SUM(score_total) AS total
                    FROM check_minute WHERE tenant = ? AND minute >= ? GROUP BY decision, csc_check
                    """), arguments: [tenant, minute(of: now.addingTimeInterval(-Double(seconds)))])
        for row in rows {
            let n: Int = row["n"]
            stats.checks += n
            stats.scoreTotal += row["total"] as Int
            stats.decisions[row["decision"], default: 0] += n
            stats.cscChecks[row["csc_check"], default: 0] += n
        }
        return stats
    }

    /// Adds a new check to its minute's totals.
    static func count(_ check: FraudCheck, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO check_minute (tenant, minute, decision, csc_check, checks, score_total) VALUES (?, ?, ?, ?, 1, ?)
                ON CONFLICT(tenant, minute, decision, csc_check)
                DO UPDATE SET checks = checks + 1, score_total = score_total + excluded.score_total
                """
        ).execute(arguments: [check.tenant, minute(of: check.createdAt), check.decision, check.cscCheck, check.score])
    }

    static func minute(of date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 60).rounded(.down)) }

    var averageScore: Double? { checks == 0 ? nil : Double(scoreTotal) / Double(checks) }

    var json: JSON {
        [
            "window_seconds": .number(Double(windowSeconds)), "checks": .number(Double(checks)),
            "average_score": averageScore.map(JSON.number) ?? .null,
            "decisions": .object(decisions.mapValues { .number(Double($0)) }),
            "csc_checks": .object(cscChecks.mapValues { .number(Double($0)) }),
        ]
    }
}
