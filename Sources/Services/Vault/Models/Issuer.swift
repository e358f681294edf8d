/// The card network and issuer, simulated with Balanced's published test cards.
enum Issuer {
    /// Test cards whose issuer answers a known way when given their documented security code.
    static let testCards: [String: (cvv: String, match: String)] = [
        "4111111111111111": ("123", "yes"),
        "5112000200000002": ("200", "no"),
        "4457000300000007": ("901", "unsupported"),
    ]

    /// Issuing banks of the test cards' BINs, as Balanced's issuer lookup named them.
    static let banks: [String: String] = ["411111": "JPMORGAN CHASE BANK, N.A."]

    /// The issuing bank, or "" when the BIN is unknown.
    static func bankName(of number: String) -> String { banks[String(number.prefix(6))] ?? "" }

    /// Cards that tokenize but whose issuer declines every charge.
    static let declining: Set<String> = ["4444444444444448"]

    /// The issuer's answer to a charge on this card: `approve` or `decline`.
    static func authorization(number: String) -> String {
        declining.contains(number) ? "decline" : "approve"
    }

    /// Address verification, as Balanced's test postal codes and streets answer: postal code 94301 →
    /// `yes`, 90210 → `no`, 90211 → `unsupported`, any other → `yes`; a street with postal code 94103
    /// → `yes`, 21 Jump St → `no`. No postal code, or no first line, gives nil for that check.
    static func avs(line1: String?, postalCode: String?) -> (street: String?, postal: String?) {
        guard let postalCode else { return (nil, nil) }
        let postal = switch postalCode {
        case "90210": "no"
        case "90211": "unsupported"
        default: "yes"
        }
        guard let line1 else { return (nil, postal) }
        let street = line1.lowercased().hasPrefix("21 jump") ? "no" : postal == "unsupported" ? "unsupported" : "yes"
        return (street, postal)
    }

    /// `Visa`, `MasterCard`, `American Express` or `Discover`, from the number's prefix.
    static func brand(of number: String) -> String? {
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
    static func cvvMatch(number: String, cvv: String?) -> String? {
        guard let cvv else { return nil }
        guard let card = testCards[number] else { return "yes" }
        return card.cvv == cvv ? card.match : "no"
    }
}
