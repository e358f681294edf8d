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

    enum CodingKeys: String, CodingKey {
        case id, brand, fingerprint, name, address
        case bankName = "bank_name"
        case lastFour = "last_four"
        case expirationMonth = "expiration_month"
        case expirationYear = "expiration_year"
        case cvvMatch = "cvv_match"
        case avsStreetMatch = "avs_street_match"
        case avsPostalMatch = "avs_postal_match"
    }
}

/// Payments' view of the processor's answer to a charge, as vault relays it.
struct VaultAuthorization: Decodable, Sendable {
    enum Status: String, Decodable, Sendable, CaseIterable { case approved, declined }
    var id: String
    var status: Status
    var responseCode: String
    var message: String

    enum CodingKeys: String, CodingKey {
        case id, status, message
        case responseCode = "response_code"
    }
}

/// Payments' view of a capture, reversal or refund vault made at the processor.
struct VaultSettlement: Decodable, Sendable {
    enum Status: String, Decodable, Sendable, CaseIterable { case captured, reversed, refunded }
    var status: Status
}

/// Payments' calls to vault, on behalf of a marketplace.
struct VaultClient: Sendable {
    static let tokenizing = PeerRoute("vault", .post, "/cards")
    static let reading = PeerRoute("vault", .get, "/cards/{id}")
    /// Vault asks the processor within 2 s and resends once; payments allows for both.
    static let authorizing = PeerRoute("vault", .post, "/authorizations", timeout: .seconds(10))
    static let capturing = PeerRoute("vault", .post, "/authorizations/{id}/captures", timeout: .seconds(10))
    static let reversing = PeerRoute("vault", .post, "/authorizations/{id}/reversals", timeout: .seconds(10))
    static let refunding = PeerRoute("vault", .post, "/authorizations/{id}/refunds", timeout: .seconds(10))
    static let deleting = PeerRoute("vault", .delete, "/cards/{id}")
    static let routes = [tokenizing, reading, deleting, authorizing, capturing, reversing, refunding]
    let peers: ServiceClient

    func tokenize(_ card: JSON, tenant: String?) async throws -> VaultCard {
        try await peers.call(Self.tokenizing, path: "/cards", body: card, headers: headers(tenant))
    }

    func card(_ id: String, tenant: String?) async throws -> VaultCard {
        try await peers.call(Self.reading, path: "/cards/\(id.urlPathEncoded)", headers: headers(tenant))
    }

    /// Has vault erase a card's number: once its owner deletes it, it is never charged again.
    func delete(_ id: String, tenant: String) async throws {
        let response = try await peers.exchange(Self.deleting, path: "/cards/\(id.urlPathEncoded)", body: nil, headers: headers(tenant))
        guard response.status.kind == .successful || response.status == .notFound else {
            throw ServiceError(
                .badGateway, "upstream-failure", "vault \(Self.deleting.route) answered \(response.status.code)",
                categoryType: "logical")
        }
    }

    /// Asks the card's issuer, through vault and the processor, to approve `input`'s amount, captured
    /// at once when `capture`. `orderID` is the charge's transaction number: the processor answers a
    /// resend of one order with its first answer.
    func authorize(_ card: String, _ input: ChargeInput, orderID: String, capture: Bool, tenant: String) async throws -> VaultAuthorization {
        let request: JSON = [
            "card_id": .string(card), "amount": .number(Double(input.amount)), "currency": .string(input.currency),
            "order_id": .string(orderID), "capture": .bool(capture), "statement_name": .string(input.appearsOnStatementAs),
        ]
        return try await peers.call(Self.authorizing, path: "/authorizations", body: request, headers: headers(tenant))
    }

    /// Captures `amount` of a hold's approval at the processor.
    func capture(_ reference: String, amount: Int, tenant: String) async throws {
        let _: VaultSettlement = try await peers.call(
            Self.capturing, path: "/authorizations/\(reference.urlPathEncoded)/captures",
            body: ["amount": .number(Double(amount))], headers: headers(tenant))
    }

    /// Voids a hold's approval at the processor.
    func reverse(_ reference: String, tenant: String) async throws {
        let _: VaultSettlement = try await peers.call(
            Self.reversing, path: "/authorizations/\(reference.urlPathEncoded)/reversals",
            body: [:], headers: headers(tenant))
    }

    /// Refunds `amount` of a debit's approval at the processor; `refund` (its transaction number) names
    /// this refund, so a retry of it is answered, not refunded again.
    func refund(_ reference: String, amount: Int, refund: String, tenant: String) async throws {
        let _: VaultSettlement = try await peers.call(
            Self.refunding, path: "/authorizations/\(reference.urlPathEncoded)/refunds",
            body: ["amount": .number(Double(amount)), "reference": .string(refund)],
            headers: headers(tenant))
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
