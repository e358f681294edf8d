import Foundation
import Synchronization

extension String {
    /// Whether the whole string matches `pattern`, a regular expression as a document's `pattern` would
    /// hold it: read code point by code point, as JSON Schema reads it, so that a digit followed by a
    /// combining mark is not a digit here when it is not one to a client's validator.
    ///
    /// A service checks a field with the same pattern its document states for it.
    public func wholeMatches(_ pattern: String) -> Bool {
        guard let expression = CompiledPatterns.shared.wholeMatch(pattern) else { return false }
        return expression.firstMatch(in: self, range: NSRange(startIndex..., in: self)) != nil
    }
}

/// Each pattern compiled once per process: compiling one costs far more than matching a field with it.
final class CompiledPatterns: Sendable {
    static let shared = CompiledPatterns()
    private let compiled = Mutex<[String: NSRegularExpression?]>([:])

    /// `pattern` anchored at both ends. ICU reads a pattern code point by code point, never by grapheme.
    func wholeMatch(_ pattern: String) -> NSRegularExpression? {
        if let known = compiled.withLock({ $0[pattern] }) { return known }
        let expression = try? NSRegularExpression(pattern: "\\A(?:\(pattern))\\z")
        compiled.withLock { $0[pattern] = expression }
        return expression
    }
}
