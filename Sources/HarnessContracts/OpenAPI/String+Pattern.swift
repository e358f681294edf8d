extension String {
    /// Whether the whole string matches `pattern`, a regular expression as a document's `pattern` would
    /// hold it: read code point by code point, as JSON Schema reads it, so that a digit followed by a
    /// combining mark is not a digit here when it is not one to a client's validator.
    ///
    /// A service checks a field with the same pattern its document states for it.
    public func wholeMatches(_ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern).matchingSemantics(.unicodeScalar) else { return false }
        return (try? regex.wholeMatch(in: self)) != nil
    }
}
