import HTTPTypes

/// The request fields a provider's handler read, reported back to a consumer that asks.
///
/// A consumer under the harness sends `Harness-Report-Reads`; the provider's handler decodes its request
/// with `Request.decode`, which notes each field read, and the answer carries them in
/// `Harness-Request-Reads`. So a consumer learns, across a socket too, that a field it sends is no
/// longer read — the request-side drift a provider's rename causes silently.
enum RequestReads {
    @TaskLocal static var current: FieldNotes?

    static let askHeader = HTTPField.Name("Harness-Report-Reads")!
    static let answerHeader = HTTPField.Name("Harness-Request-Reads")!

    /// `path:required:type|type,…` — compact enough for a header.
    static func encode(_ reads: [FieldRead]) -> String {
        reads.sorted().map { "\($0.path):\($0.required ? "r" : "o"):\($0.types.sorted().joined(separator: "|"))" }.joined(separator: ",")
    }

    static func decode(_ header: String) -> [FieldRead] {
        header.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            return FieldRead(path: parts[0], required: parts[1] == "r", types: Set(parts[2].split(separator: "|").map(String.init)),
                             accepts: nil, seen: [])
        }
    }
}
