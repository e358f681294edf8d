import ServiceKit

/// Payments' view of a vault card: the fields payments reads, declared here and nowhere else.
struct VaultCard: Decodable, Sendable {
    var id: String
    var lastFour: String
    var brand: String
    var fingerprint: String
    var expirationMonth: Int
    var expirationYear: Int
    var cvvMatch: String?
    var name: String?
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, brand, fingerprint, name
        case lastFour = "last_four", expirationMonth = "expiration_month", expirationYear = "expiration_year"
        case cvvMatch = "cvv_match", createdAt = "created_at"
    }
}

/// Payments' calls to vault.
struct VaultClient: Sendable {
    let peers: ServiceClient

    func tokenize(_ card: JSON) async throws -> VaultCard {
        try await peers.call(.vault, .post, "/cards", body: card, route: "POST /cards")
    }

    func card(_ id: String) async throws -> VaultCard {
        try await peers.call(.vault, .get, "/cards/\(id.urlPathEncoded)", route: "GET /cards/{id}")
    }
}

extension String {
    var urlPathEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}
