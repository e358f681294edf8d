/// Whole numbers as clients send them, read one way everywhere a request carries one, so a document can
/// say exactly which a service takes.
extension JSON {
    /// The largest integer a JSON number carries exactly (2^53 − 1): past it, a reader that holds
    /// numbers as doubles (this one, a browser's) rounds, and `9007199254740993` arrives as `…992`.
    public static let largestExactInteger = 9_007_199_254_740_991

    /// A JSON number that is an integer held exactly; nil for a fraction, or one too large to be read exactly.
    public var exactInteger: Int? {
        guard case .number(let value) = self, let integer = Int(exactly: value), abs(integer) <= Self.largestExactInteger else { return nil }
        return integer
    }

    /// A whole number as Balanced's clients sent one: a JSON integer (`exactInteger`), or its decimal
    /// digits as a string (`"50"`, `"05"`); nil for anything else.
    public var wholeNumber: Int? {
        switch self {
        case .number: exactInteger
        case .string(let text): Int(digits: text)
        default: nil
        }
    }
}

extension Int {
    /// A numeral of ASCII decimal digits only (`"05"` is 5): no sign, no spaces, no other script's
    /// digits; nil too when it does not fit.
    public init?(digits text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        self.init(String(text))
    }
}
