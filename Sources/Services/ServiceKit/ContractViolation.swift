import Foundation
import Hummingbird

/// A provider's response that its consumer cannot read: contract drift, caught where it breaks.
///
/// A consumer never defaults a field it cannot find. It fails the request with a 502 whose description
/// names the consumer, the provider and route, the field, and what came instead — the message a
/// developer needs when a renamed field would otherwise pass every unit test and break in production.
public struct ContractViolation: Error, HTTPResponseError, CustomStringConvertible {
    public var consumer: ServiceName
    public var provider: ServiceName
    public var route: String
    /// The field the consumer needed, as a path (`csc_check`, `cards[0].brand`).
    public var field: String
    public var problem: String
    /// Fields of the response the consumer does not read that would decode in place of `field`.
    public var likelyRenames: [String]

    public var description: String {
        "\(consumer) cannot read the response from \(provider) \(route): \(problem)"
    }

    public var status: HTTPResponse.Status { .badGateway }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let error = ServiceError(.badGateway, "contract-violation", description, categoryType: "logical", extras: [
            "consumer": .string(consumer.rawValue),
            "provider": .string(provider.rawValue),
            "route": .string(route),
            "field": .string(field),
            "likely_renames": .array(likelyRenames.map { .string($0) }),
        ])
        return try error.response(from: request, context: context)
    }
}

extension ContractViolation {
    /// Decodes a provider's body as the consumer's own view of it, diagnosing what drifted on failure.
    public static func decode<T: Decodable>(
        _ type: T.Type, from body: ByteBuffer, consumer: ServiceName, provider: ServiceName, route: String
    ) throws(ContractViolation) -> T {
        let data = Data(body.readableBytesView)
        do {
            return try JSONCoding.decoder.decode(T.self, from: data)
        } catch {
            var violation = ContractViolation(consumer: consumer, provider: provider, route: route, field: "",
                                              problem: "", likelyRenames: [])
            guard let json = try? JSON(parsing: body) else {
                violation.problem = "the body is not JSON (\(body.readableBytes) bytes)"
                throw violation
            }
            violation.diagnose(error as? DecodingError, in: json, as: T.self)
            throw violation
        }
    }

    mutating func diagnose<T: Decodable>(_ error: DecodingError?, in json: JSON, as type: T.Type) {
        switch error {
        case .keyNotFound(let key, let context)?:
            let path = context.codingPath.map(Segment.init) + [Segment(key)]
            field = Segment.render(path)
            let renames = Self.renameCandidates(for: path, in: json, as: type)
            likelyRenames = renames.map(\.name)
            if let best = renames.first {
                problem = "field `\(field)` is missing; found `\(best.name)` instead "
                    + "(same JSON type, \(best.value.typeName), and its value \(best.value) reads as `\(field)`): "
                    + "likely rename of `\(field)` to `\(best.name)`"
            } else {
                let unread = Self.object(at: Array(path.dropLast()), in: json)?.keys.sorted() ?? []
                problem = "field `\(field)` is missing; the object has \(unread.map { "`\($0)`" }.joined(separator: ", "))"
            }
        case .typeMismatch(let expected, let context)?, .valueNotFound(let expected, let context)?:
            field = Segment.render(context.codingPath.map(Segment.init))
            let found = Self.value(at: context.codingPath.map(Segment.init), in: json) ?? .null
            problem = "field `\(field)` should be \(ServiceError.describe(expected)) but is \(found.typeName) \(found)"
        case .dataCorrupted(let context)?:
            field = Segment.render(context.codingPath.map(Segment.init))
            let found = Self.value(at: context.codingPath.map(Segment.init), in: json) ?? .null
            problem = "field `\(field)` has a value the consumer does not know: \(found)"
        default:
            problem = "the body does not decode"
        }
    }
}

extension ContractViolation {
    /// One step of a path into a JSON document.
    struct Segment {
        var key: String?
        var index: Int?

        init(_ codingKey: any CodingKey) {
            if let index = codingKey.intValue, codingKey.stringValue.hasPrefix("Index ") {
                self.index = index
            } else {
                self.key = codingKey.stringValue
            }
        }

        static func render(_ path: [Segment]) -> String {
            path.reduce(into: "") { text, segment in
                if let index = segment.index { text += "[\(index)]" }
                else if let key = segment.key { text += text.isEmpty ? key : ".\(key)" }
            }
        }
    }

    static func value(at path: [Segment], in json: JSON) -> JSON? {
        path.reduce(Optional(json)) { node, segment in
            guard let node else { return nil }
            if let index = segment.index { return node.array?.indices.contains(index) == true ? node[index] : nil }
            return node.object?[segment.key ?? ""]
        }
    }

    static func object(at path: [Segment], in json: JSON) -> [String: JSON]? {
        value(at: path, in: json)?.object
    }

    static func replacing(_ path: [Segment], in json: JSON, with newValue: JSON?) -> JSON {
        guard let head = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        switch (json, head.index, head.key) {
        case (.array(var array), let index?, _) where array.indices.contains(index):
            array[index] = replacing(rest, in: array[index], with: newValue)
            return .array(array)
        case (.object(var object), nil, let key?):
            if rest.isEmpty { object[key] = newValue } else { object[key] = replacing(rest, in: object[key] ?? .null, with: newValue) }
            return .object(object)
        default:
            return json
        }
    }

    /// Sibling fields that the consumer does not read and whose value decodes in the missing field's place.
    ///
    /// A sibling qualifies when moving its value to the missing key makes the whole body decode, and
    /// removing it afterwards still decodes (so the consumer does not read it under its own name).
    /// Candidates are ranked by how much of their name they share with the missing field.
    static func renameCandidates<T: Decodable>(for path: [Segment], in json: JSON, as type: T.Type) -> [(name: String, value: JSON)] {
        let parent = Array(path.dropLast())
        guard let missing = path.last?.key, let siblings = object(at: parent, in: json) else { return [] }
        func decodes(_ document: JSON) -> Bool {
            (try? JSONCoding.decoder.decode(T.self, from: Data(document.encoded().readableBytesView))) != nil
        }
        let candidates = siblings.filter { name, value in
            let moved = replacing(path, in: json, with: value)
            return decodes(moved) && decodes(replacing(parent + [Segment(name: name)], in: moved, with: nil))
        }
        return candidates.map { (name: $0.key, value: $0.value) }
            .sorted { similarity($0.name, missing) > similarity($1.name, missing) || ($0.name < $1.name && similarity($0.name, missing) == similarity($1.name, missing)) }
    }

    /// Shared words and shared letters: `csc_check` is closer to `security_code_check` than to `decision`.
    static func similarity(_ a: String, _ b: String) -> Int {
        let words = Set(a.split(separator: "_")).intersection(b.split(separator: "_")).count
        let letters = Set(a).intersection(b).count
        return words * 100 + letters
    }
}

extension ContractViolation.Segment {
    init(name: String) { self.key = name }
}
