import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `GET /summary` builds a merchant summary from payments and fraud; `GET /summary/history` lists past ones.
struct SummaryController {
    let database: any DatabaseWriter
    let payments: PaymentsClient
    let fraud: FraudStatsClient
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ServiceContext>) {
        router.get("/summary") { request, _ in
            let limit = try request.queryInt("limit", default: 100, in: 1...100)
            let window = try request.queryInt("window", default: 3600, in: 1...86_400)
            async let page = payments.recentDebits(limit: limit)
            async let stats = fraud.recentStats(windowSeconds: window)
            let summary = Summary(generatedAt: clock(), pageSize: limit, page: try await page, fraud: try await stats)
            try await database.write { try summary.saveSnapshot(in: $0) }
            return Response.json(summary.json)
        }
        router.get("/summary/history") { request, _ in
            let limit = try request.queryInt("limit", default: 10, in: 1...100)
            return Response.json(JSON.array(try await database.read { try Summary.history(limit: limit, in: $0) }))
        }
    }
}
