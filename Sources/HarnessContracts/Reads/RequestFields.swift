/// A request body that a handler validates key by key instead of decoding a view.
///
/// Each key the handler asks for is noted like a decoded field (`RequestReads`), so a consumer learns
/// which of the fields it sends this provider reads, whichever way the provider reads them.
public struct RequestFields: Sendable {
    public let json: JSON
    let prefix: String
    let notes: FieldNotes?

    /// The body of the request being handled; its reads are reported to a consumer that asked.
    public init(_ json: JSON) {
        self.init(json, prefix: "", notes: FieldNotes.handlingRequest)
    }

    init(_ json: JSON, prefix: String, notes: FieldNotes?) {
        self.json = json
        self.prefix = prefix
        self.notes = notes
    }

    /// The value at `key`, nil when absent.
    public subscript(_ key: String, required required: Bool = false) -> JSON? {
        let value = json.object?[key]
        notes?.note(prefix + key, value, required: required)
        return value
    }

    /// The object at `key`, its keys read the same way (`address.line1`).
    public func nested(_ key: String) -> RequestFields {
        RequestFields(self[key] ?? .null, prefix: "\(prefix)\(key).", notes: notes)
    }
}
