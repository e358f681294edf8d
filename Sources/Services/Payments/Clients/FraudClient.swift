import ServiceKit

/// Payments' view of a fraud check: the fields payments decides on.
///
/// Declared by payments, not shared with fraud: if fraud renames `csc_check`, this no longer decodes
/// and the debit fails with a `ContractViolation` instead of silently skipping the security-code rule.
struct FraudCheck: Decodable, Sendable {
    enum Decision: String, Decodable, Sendable { case accept, review, reject }
    enum CSCCheck: String, Decodable, Sendable { case pass, fail, unavailable }

    var id: String
    var score: Int
    var decision: Decision
    var cscCheck: CSCCheck

    enum CodingKeys: String, CodingKey {
        case id, score, decision, cscCheck = "csc_check"
    }
}

/// Payments' calls to fraud.
struct FraudClient: Sendable {
    let peers: ServiceClient

    func check(card: VaultCard, amount: Int, currency: String) async throws -> FraudCheck {
        let request: JSON = [
            "card_id": .string(card.id), "amount": .number(Double(amount)), "currency": .string(currency),
            "cvv_match": card.cvvMatch.map(JSON.string) ?? .null, "brand": .string(card.brand),
        ]
        return try await peers.call(.fraud, .post, "/checks", body: request, route: "POST /checks")
    }
}
