/// The card network and issuer, simulated with Balanced's published test cards.
public enum Issuer {
    /// Test cards whose issuer answers a known way when given their documented security code.
    static let testCards: [String: (cvv: String, match: String)] = [
        "4111111111111111": ("123", "yes"),
        "5112000200000002": ("200", "no"),
        "4457000300000007": ("901", "unsupported"),
    ]

    /// `Visa`, `MasterCard`, `American Express` or `Discover`, from the number's prefix.
    public static func brand(of number: String) -> String? {
        let two = Int(number.prefix(2)) ?? 0, four = Int(number.prefix(4)) ?? 0, three = Int(number.prefix(3)) ?? 0
        switch true {
        case number.hasPrefix("4"): return "Visa"
        case (51...55).contains(two), (2221...2720).contains(four): return "MasterCard"
        case two == 34 || two == 37: return "American Express"
        case number.hasPrefix("6011") || number.hasPrefix("65") || (644...649).contains(three): return "Discover"
        default: return nil
        }
    }

    /// The issuer's verdict on a security code: `yes`, `no`, `unsupported`, or nil when none was given.
    ///
    /// A test card answers as documented for its documented code and `no` for any other; any other card
    /// matches.
    public static func cvvMatch(number: String, cvv: String?) -> String? {
        guard let cvv else { return nil }
        guard let card = testCards[number] else { return "yes" }
        return card.cvv == cvv ? card.match : "no"
    }
}
