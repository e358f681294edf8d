import HTTPTypes

/// The request fields a provider's handler read, reported back to a consumer that asks.
///
/// A consumer under the harness sends `Harness-Report-Reads`; a provider hosted by the harness notes each
/// field its handler decodes from the request and answers with them in `Harness-Request-Reads`. So a
/// consumer learns, across a socket too, that a field it sends is no longer read: the request-side drift
/// a provider's rename causes silently. A host answers only a caller the stack's identity verifies.
public enum RequestReads {
    public static let askHeader = HTTPField.Name("Harness-Report-Reads")!
    public static let answerHeader = HTTPField.Name("Harness-Request-Reads")!

    /// `path:required:type|type,…`: compact enough for a header.
    public static func encode(_ reads: some Sequence<FieldRead>) -> String {
        reads.sorted().map { "\($0.path):\($0.required ? "r" : "o"):\($0.types.sorted().joined(separator: "|"))" }.joined(separator: ",")
    }

    /// The request reads a provider's answer reports, if it reports any.
    public static func reported(in answer: HTTPFields) -> [FieldRead]? {
        answer[answerHeader].map(decode)
    }

    public static func decode(_ header: String) -> [FieldRead] {
        header.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            return FieldRead(
                path: parts[0], required: parts[1] == "r", types: Set(parts[2].split(separator: "|").map(String.init)),
                accepts: nil, seen: [])
        }
    }
}
