/// How the sandbox's issuers answer: by test card, security code, address and amount, as processors'
/// test environments document theirs. The table in the BankingPartnerSandbox article
/// (Sources/Harness/Harness.docc) lists the same.
enum TestCards {
    /// Cards whose issuer answers a known way when given their documented security code; any other
    /// code on them does not match, and any other card matches any code.
    static let securityCodes: [String: (code: String, answer: String)] = [
        "4111111111111111": ("123", "M"),
        "5112000200000002": ("200", "N"),
        "4457000300000007": ("901", "U"),
    ]

    /// A card whose issuer declines every charge (not a verification): `05` Do Not Honor.
    static let declining = "4444444444444448"

    /// Amounts (minor units) that make the issuer answer a particular way, on any card.
    enum MagicAmount {
        static let insufficientFunds = 5101
        static let expiredCard = 5401
        static let partialApproval = 1010
        static let slow = 9901
        static let systemError = 9902
    }

    /// How long the slow amount takes to answer.
    static let slowAnswer: Duration = .seconds(3)

    /// `CVV2RespCode`: `M` match, `N` no match, `U` the issuer does not check codes; "" when none was sent.
    static func securityCodeAnswer(number: String?, code: String?) -> String {
        guard let code else { return "" }
        guard let number, let card = securityCodes[number] else { return "M" }
        return card.code == code ? card.answer : "N"
    }

    /// `AVSRespCode`, with the test addresses Balanced documented: postal code 90210 does not match,
    /// 90211 is not supported by the issuer, any other matches; a street starting "21 Jump" does not
    /// match. `Y` both match, `Z` postal code only, `A` street only, `N` neither, `U` unsupported; ""
    /// when no postal code was sent.
    static func addressAnswer(zip: String?, street: String?) -> String {
        guard let zip else { return "" }
        if zip == "90211" { return "U" }
        let postal = zip != "90210"
        let streetMatches = street.map { !$0.lowercased().hasPrefix("21 jump") } ?? false
        switch (streetMatches, postal) {
        case (true, true): return "Y"
        case (false, true): return "Z"
        case (true, false): return "A"
        case (false, false): return "N"
        }
    }

    /// What the issuer does with an authorization of `amount` on `number`.
    enum Outcome: Equatable {
        case approve
        case decline(code: String, message: String)
        case partial(approved: Int)
        case slow
        case systemError
    }

    static func outcome(number: String?, amount: Int) -> Outcome {
        guard amount > 0 else { return .approve }
        if number == declining { return .decline(code: "05", message: "Do Not Honor") }
        switch amount {
        case MagicAmount.insufficientFunds: return .decline(code: "51", message: "Insufficient Funds")
        case MagicAmount.expiredCard: return .decline(code: "54", message: "Expired Card")
        case MagicAmount.partialApproval: return .partial(approved: amount / 2)
        case MagicAmount.slow: return .slow
        case MagicAmount.systemError: return .systemError
        default: return .approve
        }
    }
}
