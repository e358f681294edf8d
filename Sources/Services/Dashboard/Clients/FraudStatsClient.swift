import ServiceKit

/// Dashboard's view of fraud's recent-check statistics.
struct FraudStats: Decodable, Sendable {
    var windowSeconds: Int
    var checks: Int
    var averageScore: Double?
    var cscChecks: [String: Int]
    var decisions: [String: Int]

    enum CodingKeys: String, CodingKey {
        case windowSeconds = "window_seconds"
        case checks
        case averageScore = "average_score"
        case cscChecks = "csc_checks"
        case decisions
    }
}

struct FraudStatsClient: Sendable {
    static let stats = PeerRoute("fraud", .get, "/checks/stats")
    let peers: ServiceClient

    func recentStats(windowSeconds: Int, tenant: String) async throws -> FraudStats {
        try await peers.call(Self.stats, path: "/checks/stats?window=\(windowSeconds)", headers: [.tenant: tenant])
    }
}
