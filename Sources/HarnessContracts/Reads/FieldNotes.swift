import Synchronization

/// One field a consumer's view read from a provider's response.
public struct FieldRead: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `debits[].amount`: array elements are `[]`, so every element's read counts as one field.
    public var path: String
    /// Whether the view needs the field (`decode`) or takes a default without it (`decodeIfPresent`).
    public var required: Bool
    /// The JSON types that came: `string`, `number`, `null`, `object`, … and `absent` when the key was missing.
    public var types: Set<String>
    /// For a field decoded as a `CaseIterable` enum: the values the view accepts, and those it saw.
    public var accepts: [String]?
    public var seen: Set<String>

    public var description: String {
        "\(path) (\(required ? "required" : "optional"), \(types.sorted().joined(separator: "|"))\(accepts.map { ", one of \($0.joined(separator: "|"))" } ?? ""))"
    }

    public init(path: String, required: Bool, types: Set<String>, accepts: [String]?, seen: Set<String>) {
        self.path = path
        self.required = required
        self.types = types
        self.accepts = accepts
        self.seen = seen
    }

    public static func < (a: FieldRead, b: FieldRead) -> Bool { a.path < b.path }

    mutating func noteAgain(_ value: JSON?, required: Bool) {
        self.required = self.required || required
        types.insert(value?.typeName ?? "absent")
        if accepts != nil, let string = value?.string { seen.insert(string) }
    }

    /// The same field read again, perhaps with another type or value.
    public mutating func merge(_ other: FieldRead) {
        required = required || other.required
        types.formUnion(other.types)
        seen.formUnion(other.seen)
        if accepts == nil { accepts = other.accepts }
    }
}

/// The fields one decode read, collected as the view asks for them.
///
/// Unchecked, and safe: every instance has one writer at a time and is read after it. A consumer's call
/// makes its own and reads it once its decode returned (`ServiceClient.call`); a provider's request has
/// its own, written by the one `Request.decode` of its body and read after the handler returned
/// (`RequestReadsReport`). It crosses a task boundary only as the task-local the handler runs under.
public final class FieldNotes: @unchecked Sendable {
    /// The notes of the request a provider's handler is answering, for a caller that asked which
    /// fields it reads (`Harness-Report-Reads`): set by the host around the handler.
    @TaskLocal public static var handlingRequest: FieldNotes?

    public private(set) var reads: [String: FieldRead] = [:]

    public init() {}

    /// Decodes `T` from `json`, noting here each field it reads.
    public func decode<T: Decodable>(_ type: T.Type, from json: JSON) throws -> T {
        try ViewDecoder.decode(type, from: json, notes: self)
    }

    /// A field read as `T`: an enum's accepted values are looked up the first time its path is read.
    func note<T>(_ path: String, _ value: JSON?, required: Bool, as type: T.Type) {
        if let index = reads.index(forKey: path), reads.values[index].accepts != nil || Self.enumValues(T.self) == nil {
            reads.values[index].noteAgain(value, required: required)
        } else {
            note(path, value, required: required, accepts: Self.enumValues(T.self))
        }
    }

    /// A field read at a contract's path (`address.line1`); `accepts` for an enum.
    func note(_ path: String, _ value: JSON?, required: Bool, accepts: [String]? = nil) {
        if accepts == nil, let index = reads.index(forKey: path) {
            // The common case, a field read again (every element of an array): no new read to merge.
            reads.values[index].noteAgain(value, required: required)
            return
        }
        var read = FieldRead(path: path, required: required, types: [value?.typeName ?? "absent"], accepts: accepts, seen: [])
        if accepts != nil, let string = value?.string { read.seen = [string] }
        if reads[path] == nil { reads[path] = read } else { reads[path]!.merge(read) }
    }

    /// The raw values of a `CaseIterable` string enum (also inside an `Optional`).
    static func enumValues<T>(_ type: T.Type) -> [String]? {
        guard let cases = T.self as? any CaseIterable.Type else { return nil }
        return values(of: cases)
    }

    private static func values<C: CaseIterable>(of type: C.Type) -> [String]? {
        let raw = C.allCases.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        return raw.isEmpty ? nil : raw
    }
}
