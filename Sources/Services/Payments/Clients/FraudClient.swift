import ServiceKit

/// Payments' view of a fraud check: the fields payments decides on.
///
/// Declared by payments, not shared with fraud: if fraud renames `csc_check`, this no longer decodes
/// and the debit fails with a `ContractViolation` instead of silently skipping the security-code rule.
struct FraudCheck: Decodable, Sendable {
    enum Decision: String, Decodable, Sendable, CaseIterable { case accept, review, reject }
    enum CSCCheck: String, Decodable, Sendable, CaseIterable { case pass, fail, unavailable }

    var id: String
    var score: Int
    var decision: Decision
    var cscCheck: CSCCheck

    enum CodingKeys: String, CodingKey {
        case id, score, decision
        case cscCheck = "csc_check"
    }
}

/// Payments' view of fraud's underwriting answer.
struct UnderwritingDecision: Decodable, Sendable {
    enum Status: String, Decodable, Sendable, CaseIterable {
        case underwritten
        case noMatch = "no-match"
        case rejected
    }
    var merchantStatus: Status

    enum CodingKeys: String, CodingKey { case merchantStatus = "merchant_status" }
}

/// Payments' calls to fraud, on behalf of a marketplace.
struct FraudClient: Sendable {
    static let checks = PeerRoute("fraud", .post, "/checks")
    static let underwriting = PeerRoute("fraud", .post, "/underwriting")
    static let routes = [checks, underwriting]
    let peers: ServiceClient

    func check(card: VaultCard, amount: Int, currency: String, tenant: String) async throws -> FraudCheck {
        let request: JSON = [
            "card_id": .string(card.id), "amount": .number(Double(amount)), "currency": .string(currency),
            "cvv_match": card.cvvMatch.map(JSON.string) ?? .null, "brand": .string(card.brand),
        ]
        return try await peers.call(Self.checks, path: "/checks", body: request, headers: [.tenant: tenant])
    }

    func underwrite(_ identity: JSON, tenant: String) async throws -> UnderwritingDecision {
        try await peers.call(Self.underwriting, path: "/underwriting", body: identity, headers: [.tenant: tenant])
    }
}
