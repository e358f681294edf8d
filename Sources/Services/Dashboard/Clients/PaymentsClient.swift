import HTTPTypes
import ServiceKit

/// Dashboard's view of a page of payments' debits: status and amount of each, and the total.
struct DebitPage: Decodable, Sendable {
    struct Debit: Decodable, Sendable {
        var status: String
        var amount: Int
    }
    struct Meta: Decodable, Sendable {
        var total: Int
    }
    var debits: [Debit]
    var meta: Meta
}

/// Dashboard's view of the caller's marketplace.
struct MarketplacePage: Decodable, Sendable {
    struct Marketplace: Decodable, Sendable { var id: String }
    var marketplaces: [Marketplace]
}

/// Dashboard's calls to payments, made with the merchant's own credentials: payments decides what
/// the merchant may see.
struct PaymentsClient: Sendable {
    static let marketplaces = PeerRoute("payments", .get, "/marketplaces")
    static let debits = PeerRoute("payments", .get, "/debits")
    static let routes = [marketplaces, debits]
    let peers: ServiceClient

    /// The marketplace the credentials belong to; payments answers 401 for bad ones.
    func marketplace(authorization: String) async throws -> String {
        let page: MarketplacePage = try await peers.call(Self.marketplaces, path: "/marketplaces", headers: [.authorization: authorization])
        guard let marketplace = page.marketplaces.first else { throw ServiceError.notFound("Marketplace") }
        return marketplace.id
    }

    func recentDebits(limit: Int, authorization: String) async throws -> DebitPage {
        try await peers.call(Self.debits, path: "/debits?limit=\(limit)&offset=0", headers: [.authorization: authorization])
    }
}
