import HTTPTypes
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
    var avsStreetMatch: String?
    var avsPostalMatch: String?
    var address: [String: String?]
    var name: String?
    var bankName: String
    /// The issuer's answer to a charge: `approve` or `decline`.
    var authorization: Authorization

    enum Authorization: String, Decodable, Sendable, CaseIterable { case approve, decline }

    enum CodingKeys: String, CodingKey {
        case id, brand, fingerprint, name, address, authorization, bankName = "bank_name"
        case lastFour = "last_four", expirationMonth = "expiration_month", expirationYear = "expiration_year"
        case cvvMatch = "cvv_match", avsStreetMatch = "avs_street_match", avsPostalMatch = "avs_postal_match"
    }
}

/// Payments' calls to vault, on behalf of a marketplace.
struct VaultClient: Sendable {
    static let tokenizing = PeerRoute("vault", .post, "/cards")
    static let reading = PeerRoute("vault", .get, "/cards/{id}")
    static let routes = [tokenizing, reading]
    let peers: ServiceClient

    func tokenize(_ card: JSON, tenant: String?) async throws -> VaultCard {
        try await peers.call(Self.tokenizing, path: "/cards", body: card, headers: headers(tenant))
    }

    func card(_ id: String, tenant: String?) async throws -> VaultCard {
        try await peers.call(Self.reading, path: "/cards/\(id.urlPathEncoded)", headers: headers(tenant))
    }

    func headers(_ tenant: String?) -> HTTPFields {
        var fields = HTTPFields()
        fields[.tenant] = tenant
        return fields
    }
}

extension String {
    var urlPathEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}
