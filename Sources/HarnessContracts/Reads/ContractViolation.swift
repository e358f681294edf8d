import Foundation
import HarnessCore
import NIOCore
import NIOFoundationCompat

/// A provider's response that its consumer cannot read: contract drift, caught where it breaks.
///
/// A consumer never defaults a field it cannot find. It fails the request with a 502 whose description
/// names the consumer, the provider and route, the field, and what came instead — the message a
/// developer needs when a renamed field would otherwise pass every unit test and break in production.
public struct ContractViolation: Error, CustomStringConvertible {
    public var drift: Drift

    public init(_ drift: Drift) {
        self.drift = drift
    }

    public var description: String { drift.description }

    /// The error body's `category_code` for drift: how a test or script tells drift from any other 502.
    public static let categoryCode = "contract-violation"
}

extension ContractViolation {
    /// Decodes a provider's body as the consumer's own view of it, diagnosing what drifted on failure.
    /// - Parameter notes: collects the fields the view read.
    public static func decode<T: Decodable>(
        _ type: T.Type, from body: ByteBuffer, json given: JSON? = nil, consumer: ServiceName, provider: ServiceName, route: String,
        notes: FieldNotes, parsed: ((JSON) -> Void)? = nil
    ) throws(ContractViolation) -> T {
        var violation = ContractViolation(
            Drift(
                consumer: consumer, provider: provider, route: route, field: nil,
                kind: .bodyUnreadable, detail: "the body does not decode"))
        guard let json = given ?? (try? JSON(parsing: body)) else {
            violation.drift.detail = "the body is not JSON (\(body.readableBytes) bytes)"
            throw violation
        }
        parsed?(json)
        do {
            return try ViewDecoder.decode(T.self, from: json, notes: notes)
        } catch {
            violation.diagnose(error as? DecodingError, in: json, as: T.self)
            throw violation
        }
    }

    public static func decode<T: Decodable>(
        _ type: T.Type, from body: ByteBuffer, json: JSON? = nil, consumer: ServiceName, provider: ServiceName, route: String
    ) throws(ContractViolation) -> T {
        try decode(type, from: body, json: json, consumer: consumer, provider: provider, route: route, notes: FieldNotes())
    }

    mutating func diagnose<T: Decodable>(_ error: DecodingError?, in json: JSON, as type: T.Type) {
        switch error {
        case .keyNotFound(let key, let context)?:
            let field = JSONPath(codingPath: context.codingPath + [key])
            drift.field = field.description
            drift.kind = .requiredFieldMissing
            if let best = Self.renameCandidates(for: field, in: json, as: type).first {
                drift.likelyRename = best.name
                drift.detail =
                    "found `\(best.name)` instead (same JSON type, \(best.value.typeName), and its value \(best.value) reads as `\(field)`)"
            } else {
                let siblings = json[field.parent]?.object?.keys.sorted() ?? []
                drift.detail = "the object has \(siblings.map { "`\($0)`" }.joined(separator: ", "))"
            }
        case .valueNotFound(let expected, let context)? where (json[JSONPath(codingPath: context.codingPath)] ?? .null) == .null:
            drift.field = JSONPath(codingPath: context.codingPath).description
            drift.kind = .nowNullable
            drift.detail = "it is null but the consumer requires \(JSON.describe(expected: expected))"
        case .typeMismatch(let expected, let context)?, .valueNotFound(let expected, let context)?:
            let field = JSONPath(codingPath: context.codingPath)
            let found = json[field] ?? .null
            drift.field = field.description
            drift.kind = .typeChanged
            drift.detail = "it should be \(JSON.describe(expected: expected)) but is \(found.typeName) \(found)"
        case .dataCorrupted(let context)?:
            let field = JSONPath(codingPath: context.codingPath)
            drift.field = field.description
            drift.kind = .enumValueUnknown
            drift.detail = "the consumer does not know the value \(json[field] ?? .null)"
        default:
            break
        }
    }

    /// Sibling fields that the consumer does not read and whose value decodes in the missing field's place.
    ///
    /// A sibling qualifies when moving its value to the missing key makes the whole body decode, and
    /// removing it afterwards still decodes (so the consumer does not read it under its own name).
    /// Candidates are ranked by how much of their name they share with the missing field.
    static func renameCandidates<T: Decodable>(for path: JSONPath, in json: JSON, as type: T.Type) -> [(name: String, value: JSON)] {
        guard case .key(let missing)? = path.last, let siblings = json[path.parent]?.object else { return [] }
        func decodes(_ document: JSON) -> Bool { (try? ViewDecoder.decode(T.self, from: document)) != nil }
        func replacing(_ path: JSONPath, in document: JSON, with value: JSON?) -> JSON {
            var copy = document
            try? copy.update(at: path) { $0 = value }
            return copy
        }
        let candidates = siblings.filter { name, value in
            let moved = replacing(path, in: json, with: value)
            return decodes(moved) && decodes(replacing(path.parent.appending(.key(name)), in: moved, with: nil))
        }
        return candidates.map { (name: $0.key, value: $0.value) }.sorted {
            (similarity($0.name, missing), $1.name) > (similarity($1.name, missing), $0.name)
        }
    }

    /// Shared words and shared letters: `csc_check` is closer to `security_code_check` than to `decision`.
    public static func similarity(_ a: String, _ b: String) -> Int {
        let words = Set(a.split(separator: "_")).intersection(b.split(separator: "_")).count
        let letters = Set(a).intersection(b).count
        return words * 100 + letters
    }
}
