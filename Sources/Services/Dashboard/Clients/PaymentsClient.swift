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

struct PaymentsClient: Sendable {
    let peers: ServiceClient

    func recentDebits(limit: Int) async throws -> DebitPage {
        try await peers.call(.payments, .get, "/debits?limit=\(limit)&offset=0", route: "GET /debits")
    }
}
