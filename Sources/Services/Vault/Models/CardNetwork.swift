/// What a card number says about itself: its network, from the prefix, and its issuing bank, from the BIN.
///
/// Whether the issuer approves a charge, matches a security code or an address is the processor's to
/// say (`ProcessorClient`), not vault's.
enum CardNetwork {
    /// Issuing banks of the test cards' BINs, as Balanced's issuer lookup named them.
    static let banks: [String: String] = ["411111": "JPMORGAN CHASE BANK, N.A."]

    /// The issuing bank, or "" when the BIN is unknown.
    static func bankName(of number: String) -> String { banks[String(number.prefix(6))] ?? "" }

    /// `Visa`, `MasterCard`, `American Express` or `Discover`, from the number's prefix.
    static func brand(of number: String) -> String? {
        let two = Int(number.prefix(2)) ?? 0
        let four = Int(number.prefix(4)) ?? 0
        let three = Int(number.prefix(3)) ?? 0
        switch true {
        case number.hasPrefix("4"): return "Visa"
        case (51...55).contains(two), (2221...2720).contains(four): return "MasterCard"
        case two == 34 || two == 37: return "American Express"
        case number.hasPrefix("6011") || number.hasPrefix("65") || (644...649).contains(three): return "Discover"
        default: return nil
        }
    }

    /// The security code's length on a card of `brand`: four digits on American Express, three on the others.
    static func securityCodeLength(brand: String) -> Int { brand == "American Express" ? 4 : 3 }

    /// What the processor's `CVV2RespCode` means: `yes`, `no`, `unsupported`; nil when no code was checked.
    static func securityCodeMatch(_ code: String) -> String? {
        switch code {
        case "M": "yes"
        case "N": "no"
        case "": nil
        default: "unsupported"
        }
    }

    /// What the processor's `AVSRespCode` means for the street and the postal code (each `yes`, `no`,
    /// `unsupported`); the street is nil when none was sent, both when no postal code was.
    static func addressMatch(_ code: String, streetSent: Bool) -> (street: String?, postal: String?) {
        guard !code.isEmpty else { return (nil, nil) }
        let (street, postal): (String, String) =
            switch code {
            case "Y": ("yes", "yes")
            case "Z": ("no", "yes")
            case "A": ("yes", "no")
            case "N": ("no", "no")
            default: ("unsupported", "unsupported")
            }
        return (streetSent ? street : nil, postal)
    }

    /// The two-letter ISO 3166 code the processor takes for a card's country, from two letters or
    /// three; nil for a three-letter code not listed (the address is then verified without it).
    static func twoLetterCountry(_ code: String) -> String? {
        code.count == 2 ? code : alpha3[code]
    }

    static let alpha3 = [
        "USA": "US", "CAN": "CA", "MEX": "MX", "GBR": "GB", "IRL": "IE", "FRA": "FR", "DEU": "DE", "ESP": "ES", "ITA": "IT",
        "NLD": "NL", "BEL": "BE", "CHE": "CH", "AUT": "AT", "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "PRT": "PT",
        "POL": "PL", "AUS": "AU", "NZL": "NZ", "JPN": "JP", "CHN": "CN", "HKG": "HK", "SGP": "SG", "IND": "IN", "BRA": "BR",
        "ARG": "AR", "ZAF": "ZA", "ISR": "IL",
    ]
}
