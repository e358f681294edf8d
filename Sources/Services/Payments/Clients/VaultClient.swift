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

    enum Authorization: String, Decodable, Sendable { case approve, decline }

    enum CodingKeys: String, CodingKey {
        case id, brand, fingerprint, name, address, authorization, bankName = "bank_name"
        case lastFour = "last_four", expirationMonth = "expiration_month", expirationYear = "expiration_year"
        case cvvMatch = "cvv_match", avsStreetMatch = "avs_street_match", avsPostalMatch = "avs_postal_match"
    }
}

/// Payments' calls to vault, on behalf of a marketplace.
struct VaultClient: Sendable {
    /// The provider this client calls, by the name the system gives it.
    static let provider: ServiceName = "vault"
    let peers: ServiceClient

    func tokenize(_ card: JSON, tenant: String?) async throws -> VaultCard {
        try await peers.call(Self.provider, .post, "/cards", body: card, headers: headers(tenant), route: "POST /cards")
    }

    func card(_ id: String, tenant: String?) async throws -> VaultCard {
        try await peers.call(Self.provider, .get, "/cards/\(id.urlPathEncoded)", headers: headers(tenant), route: "GET /cards/{id}")
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
