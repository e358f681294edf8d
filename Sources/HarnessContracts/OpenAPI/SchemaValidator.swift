import Foundation

/// Checks a JSON value against a JSON Schema, reporting every mismatch with the path where it is
/// (`$.debits[0].status`). The keywords OpenAPI documents use: `$ref` (to `#/components/schemas/…`, its siblings applying too),
/// `type` (one or several), `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`,
/// `anyOf`, `oneOf`, `allOf`, `not`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`, `minItems`, `maxItems`.
public struct SchemaValidator: Sendable {
    /// Each `$ref` target by its reference (`#/components/schemas/Card`).
    let references: [String: JSON]

    /// - Parameter components: the document's `components.schemas`, which `$ref`s name.
    public init(components: [String: JSON]) {
        references = Dictionary(uniqueKeysWithValues: components.map { ("#/components/schemas/\($0.key)", $0.value) })
    }

    public func problems(_ value: JSON, against schema: JSON) -> [String] {
        mismatches(value, against: schema).map(\.description)
    }

    /// The problems as values: where each is and what kind, for a diagnosis that names a field.
    public func mismatches(_ value: JSON, against schema: JSON) -> [SchemaProblem] {
        // Where a value is: kept as components and written out only for a problem (most values have none).
        var path: [JSONPath.Component] = []
        var found: [SchemaProblem] = []
        check(value, schema, &path, &found)
        return found
    }

    static func render(_ path: [JSONPath.Component]) -> String {
        path.reduce("$") { text, step in
            switch step {
            case .key(let key): text + "." + key
            case .index(let index): text + "[\(index)]"
            case .element: text + "[]"
            }
        }
    }

    func check(_ value: JSON, _ schema: JSON, _ path: inout [JSONPath.Component], _ found: inout [SchemaProblem]) {
        func problem(_ text: String, _ kind: SchemaProblem.Kind = .other) {
            found.append(SchemaProblem(path: path, kind: kind, text: text))
        }
        guard case .object(var rules) = schema else {
            if schema == .bool(false) { problem("no value is allowed here") }
            return
        }
        if case .string(let reference)? = rules.removeValue(forKey: "$ref") {
            // A `$ref`'s siblings apply too (JSON Schema 2020-12): a request body narrows a shared schema so.
            guard let target = references[reference] else { return problem("the document has no schema \(reference)") }
            check(value, target, &path, &found)
            guard !rules.isEmpty else { return }
        }
        if let types = rules["type"] {
            let matched: Bool =
                switch types {
                case .string(let type): Self.matches(value, type: type)
                case .array(let options): options.contains { $0.string.map { Self.matches(value, type: $0) } ?? false }
                default: true
                }
            guard matched else {
                let allowed = types.array?.compactMap(\.string) ?? [types.string].compactMap { $0 }
                return problem("\(Self.describe(value)) is not \(allowed.joined(separator: " or "))", .wrongType(expected: allowed))
            }
        }
        if case .array(let values)? = rules["enum"], !values.contains(value) {
            problem("\(Self.describe(value)) is not one of \(values.map(Self.describe).joined(separator: ", "))", .notAnAllowedValue)
        }
        if let constant = rules["const"], constant != value { problem("\(Self.describe(value)) is not \(Self.describe(constant))") }
        if case .array(let options)? = rules["anyOf"] ?? rules["oneOf"] {
            var best: [SchemaProblem]?
            for option in options {
                var attempt: [SchemaProblem] = []
                check(value, option, &path, &attempt)
                if attempt.isEmpty {
                    best = []
                    break
                }
                if best == nil || attempt.count < best!.count { best = attempt }
            }
            found += best ?? []
        }
        if case .array(let all)? = rules["allOf"] { for part in all { check(value, part, &path, &found) } }
        if let excluded = rules["not"] {
            var attempt: [SchemaProblem] = []
            check(value, excluded, &path, &attempt)
            if attempt.isEmpty { problem("\(Self.describe(value)) is what is not allowed here") }
        }
        switch value {
        case .object(let members):
            let properties = rules["properties"]?.object ?? [:]
            if case .array(let required)? = rules["required"] {
                for case .string(let name) in required where members[name] == nil {
                    path.append(.key(name))
                    problem("is required but missing", .missing)
                    path.removeLast()
                }
            }
            let extra = rules["additionalProperties"]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                path.append(.key(name))
                if let property = properties[name] {
                    check(member, property, &path, &found)
                } else if extra == .bool(false) {
                    problem("is not in the document", .notInDocument)
                } else if let extra {
                    check(member, extra, &path, &found)
                }
                path.removeLast()
            }
        case .array(let elements):
            if let minimum = rules["minItems"]?.number, elements.count < Int(minimum) {
                problem("\(Self.describe(value)) has fewer than \(Int(minimum)) items")
            }
            if let maximum = rules["maxItems"]?.number, elements.count > Int(maximum) {
                problem("\(Self.describe(value)) has more than \(Int(maximum)) items")
            }
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() {
                    path.append(.index(index))
                    check(element, items, &path, &found)
                    path.removeLast()
                }
            }
        case .number(let number):
            if let minimum = rules["minimum"]?.number, number < minimum {
                problem("\(Self.describe(value)) is below \(Self.describe(.number(minimum)))")
            }
            if let maximum = rules["maximum"]?.number, number > maximum {
                problem("\(Self.describe(value)) is above \(Self.describe(.number(maximum)))")
            }
        case .string(let text):
            if let minimum = rules["minLength"]?.number, text.count < Int(minimum) {
                problem("\(Self.describe(value)) is shorter than \(Int(minimum))")
            }
            if let maximum = rules["maxLength"]?.number, text.count > Int(maximum) {
                problem("\(Self.describe(value)) is longer than \(Int(maximum))")
            }
            if let pattern = rules["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
                problem("\(Self.describe(value)) does not match \(pattern)")
            }
        default:
            break
        }
    }

    static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    static func describe(_ value: JSON) -> String {
        let text = String(buffer: value.encoded())
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }
}

/// One way a JSON value differs from its schema, and where.
public struct SchemaProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A required member is absent.
        case missing
        /// The value is of another JSON type than the schema's (`expected` names them: `string`, `null`…).
        case wrongType(expected: [String])
        /// The value is not one the schema's `enum` lists.
        case notAnAllowedValue
        /// A member the schema does not declare, where it allows no others.
        case notInDocument
        /// Any other rule (a bound, a length, a pattern, a combination).
        case other
    }

    public var path: [JSONPath.Component]
    public var kind: Kind
    /// What is wrong, as a sentence about the value: `5 is not string`.
    public var text: String

    /// `$.brand: 5 is not string`.
    public var description: String { "\(SchemaValidator.render(path)): \(text)" }
}
