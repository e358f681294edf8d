import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `GET /summary` builds a merchant summary from payments and fraud; `GET /summary/history` lists past ones.
struct SummaryController {
    /// How many debits a summary reads, how many past summaries a history lists, and fraud's window in seconds.
    static let limits = 1...100, windows = 1...86_400
    let database: ServiceDatabase
    let payments: PaymentsClient
    let fraud: FraudStatsClient
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/summary") { request, _ in
            let limit = try request.queryInt("limit", default: 100, in: Self.limits)
            let window = try request.queryInt("window", default: 3600, in: Self.windows)
            let (authorization, tenant) = try await merchant(request)
            async let page = payments.recentDebits(limit: limit, authorization: authorization)
            async let stats = fraud.recentStats(windowSeconds: window, tenant: tenant)
            let summary = Summary(tenant: tenant, generatedAt: clock(), pageSize: limit, page: try await page, fraud: try await stats)
            try await database.write { try summary.saveSnapshot(in: $0) }
            return Response.json(summary.json)
        }
        router.get("/summary/history") { request, _ in
            let limit = try request.queryInt("limit", default: 10, in: Self.limits)
            let tenant = try await merchant(request).tenant
            return Response.json(JSON.array(try await database.read { try Summary.history(tenant: tenant, limit: limit, in: $0) }))
        }
    }

    /// The caller's credentials and marketplace: a merchant sees only its own marketplace.
    func merchant(_ request: Request) async throws -> (authorization: String, tenant: String) {
        guard let authorization = request.headers[.authorization] else {
            throw ServiceError.authenticationRequired()
        }
        return (authorization, try await payments.marketplace(authorization: authorization))
    }
}
