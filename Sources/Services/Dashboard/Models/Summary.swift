import Foundation
import GRDB
import ServiceKit

/// A merchant's summary: counts and volume by status over recent debits, and fraud's recent picture.
struct Summary: Sendable {
    struct Bucket: Sendable, Equatable {
        var count = 0
        var amount = 0
    }

    var tenant: String
    var generatedAt: Date
    var pageSize: Int
    var debitsTotal: Int
    var byStatus: [String: Bucket]
    var fraud: FraudStats

    init(tenant: String, generatedAt: Date, pageSize: Int, page: DebitPage, fraud: FraudStats) {
        self.tenant = tenant
        self.generatedAt = generatedAt
        self.pageSize = pageSize
        self.debitsTotal = page.meta.total
        var byStatus: [String: Bucket] = ["succeeded": Bucket(), "failed": Bucket(), "pending": Bucket()]
        for debit in page.debits {
            byStatus[debit.status, default: Bucket()].count += 1
            byStatus[debit.status, default: Bucket()].amount += debit.amount
        }
        self.byStatus = byStatus
        self.fraud = fraud
    }

    var recentCount: Int { byStatus.values.reduce(0) { $0 + $1.count } }

    var json: JSON {
        [
            "generated_at": .string(generatedAt.iso8601),
            "debits": [
                "window": .number(Double(pageSize)), "count": .number(Double(recentCount)),
                "total": .number(Double(debitsTotal)),
                "by_status": .object(byStatus.mapValues { ["count": .number(Double($0.count)), "amount": .number(Double($0.amount))] }),
            ],
            "fraud": [
                "window_seconds": .number(Double(fraud.windowSeconds)), "checks": .number(Double(fraud.checks)),
                "average_score": fraud.averageScore.map(JSON.number) ?? nil,
                "csc_checks": .object(fraud.cscChecks.mapValues { .number(Double($0)) }),
                "decisions": .object(fraud.decisions.mapValues { .number(Double($0)) }),
            ],
        ]
    }

    /// Remembers the headline figures of a summary served.
    func saveSnapshot(in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO summary_snapshot (tenant, generated_at, debits, succeeded_volume, checks, average_score)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            tenant, generatedAt.microsecondsSince1970, recentCount, byStatus["succeeded"]?.amount ?? 0, fraud.checks, fraud.averageScore,
        ])
    }

    static func history(tenant: String, limit: Int, in db: Database) throws -> [JSON] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM summary_snapshot WHERE tenant = ? ORDER BY id DESC LIMIT ?",
            arguments: [tenant, limit]
        ).map { row in
            [
                "generated_at": .string(Date(microsecondsSince1970: row["generated_at"]).iso8601), "debits": .number(Double(row["debits"] as Int)),
                "succeeded_volume": .number(Double(row["succeeded_volume"] as Int)), "checks": .number(Double(row["checks"] as Int)),
                "average_score": (row["average_score"] as Double?).map(JSON.number) ?? nil,
            ]
        }
    }
}
