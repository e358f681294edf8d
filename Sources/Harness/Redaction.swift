import HarnessContracts

/// What a printed body or a recorded example must never hold: card numbers (all but the last four
/// digits), security codes, secrets and credentials.
///
/// The harness sees every body that crosses the transport, card numbers on their way to vault
/// included; call trees, reports and Pact files leave the process, so they get this view of them.
enum Redaction {
    /// Keys whose values are never shown, whatever they hold.
    static let secretKeys: Set<String> = ["cvv", "cvc", "csc", "secret", "security_code", "password", "api_key"]

    static func apply(_ text: String, limit: Int) -> String {
        var redacted = text
        // Runs of 12 to 19 digits, possibly grouped by spaces or dashes: card numbers.
        redacted.replace(#/\d(?:[ -]?\d){11,18}/#) { match in masked(match.output.filter(\.isNumber)) }
        redacted.replace(#/"(cvv|cvc|csc|secret|security_code|password|api_key)"\s*:\s*("[^"]*"|\d+)/#) { match in
            "\"\(match.output.1)\":\"•••\""
        }
        redacted.replace(#/<(CardSecVal|OrbitalConnectionPassword)>[^<]*</#) { match in "<\(match.output.1)>•••<" }
        return redacted.count > limit ? String(redacted.prefix(limit)) + "…" : redacted
    }

    /// The same document with card numbers masked and secret keys' values replaced.
    ///
    /// A masked number keeps what a receipt shows — its first six and last four digits — and its length,
    /// with zeros between and one digit chosen so it passes or fails the Luhn check as the number did:
    /// a Pact verifier replaying a refused tokenization (a bad check digit, a bad security code for the
    /// brand) is refused the same way.
    static func apply(_ json: JSON) -> JSON {
        switch json {
        case .object(let object):
            .object(
                Dictionary(
                    uniqueKeysWithValues: object.map { key, value in
                        (key, secretKeys.contains(key.lowercased()) && !value.isNull ? .string("•••") : apply(value))
                    }))
        case .array(let items): .array(items.map(apply))
        case .string(let text) where isCardNumber(text): .string(placeholder(String(text.filter(\.isNumber))))
        case .number(let number) where number >= 1e11 && number < 1e19 && number.rounded() == number:
            .string(placeholder(String(UInt64(number))))
        default: json
        }
    }

    static func isCardNumber(_ text: String) -> Bool {
        let digits = text.filter(\.isNumber).count
        return (12...19).contains(digits) && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == " " || $0 == "-") }
    }

    static func masked<S: StringProtocol>(_ digits: S) -> String {
        String(repeating: "•", count: max(digits.count - 4, 0)) + digits.suffix(4)
    }

    /// `digits` (12 to 19 of them) as first six, zeros, last four, Luhn-valid exactly when `digits` is.
    static func placeholder(_ digits: String) -> String {
        let valid = Luhn.isValid(digits)
        let middle = digits.count - 10
        for adjust in 0...9 {
            let candidate = String(digits.prefix(6)) + String(adjust) + String(repeating: "0", count: middle - 1) + digits.suffix(4)
            if Luhn.isValid(candidate) == valid { return candidate }
        }
        return String(digits.prefix(6)) + String(repeating: "0", count: middle) + digits.suffix(4)
    }
}
