/// How fraud scores a payment: amount, velocity on the card, and the security-code result.
///
/// Scores run 0–100. At 80 a payment is rejected, at 50 it goes to review; a failed security code
/// is reported as `csc_check: fail` whatever the score, and the payments service decides on it.
enum RiskModel {
    enum Decision: String, Codable, Sendable { case accept, review, reject }
    enum CSCCheck: String, Codable, Sendable { case pass, fail, unavailable }

    struct Assessment: Equatable, Sendable {
        var score: Int
        var decision: Decision
        var cscCheck: CSCCheck
        var reasons: [String]
    }

    static let reviewAt = 50
    static let rejectAt = 80

    /// - Parameters:
    ///   - amount: in cents.
    ///   - cvvMatch: the issuer's answer (`yes`, `no`, `unsupported`) or nil when no code was given.
    ///   - recentChecks: earlier checks of the same card in the last hour.
    static func assess(amount: Int, cvvMatch: String?, recentChecks: Int) -> Assessment {
        var score = 10
        var reasons: [String] = []
        switch amount {
        case 1_000_000...:
            score += 60
            reasons.append("amount_very_high")
        case 500_000...:
            score += 40
            reasons.append("amount_high")
        case 100_000...:
            score += 10
            reasons.append("amount_elevated")
        default: break
        }
        if recentChecks >= 2 {
            score += min(50, 10 * (recentChecks - 1))
            reasons.append("velocity")
        }
        let csc: CSCCheck =
            switch cvvMatch {
            case "yes": .pass
            case "no": .fail
            default: .unavailable
            }
        switch csc {
        case .fail:
            score += 30
            reasons.append("csc_fail")
        case .unavailable:
            score += 10
            reasons.append("csc_unavailable")
        case .pass: break
        }
        score = min(100, score)
        let decision: Decision = score >= rejectAt ? .reject : score >= reviewAt ? .review : .accept
        return Assessment(score: score, decision: decision, cscCheck: csc, reasons: reasons)
    }
}
