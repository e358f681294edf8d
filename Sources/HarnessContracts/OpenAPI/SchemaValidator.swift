import Foundation

/// Checks a JSON value against a JSON Schema, reporting every mismatch with the path where it is
/// (`$.debits[0].status`). The keywords OpenAPI documents use: `$ref` (to `#/components/schemas/…`, its siblings applying too),
/// `type` (one or several), `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`,
/// `anyOf`, `oneOf`, `allOf`, `not`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`, `minItems`, `maxItems`.
public struct SchemaValidator: Sendable {
    /// Each `$ref` target by its reference (`#/components/schemas/Card`).
    let references: [String: JSON]
    /// The same, compiled: what every `$ref` of a compiled schema points at.
    let compiledReferences: [String: Compiled]

    /// - Parameter components: the document's `components.schemas`, which `$ref`s name.
    public init(components: [String: JSON]) {
        references = Dictionary(uniqueKeysWithValues: components.map { ("#/components/schemas/\($0.key)", $0.value) })
        var compiled: [String: Compiled] = [:]
        for (reference, schema) in references { _ = Compiled.reference(reference, schema, references, &compiled) }
        compiledReferences = compiled
    }

    public func problems(_ value: JSON, against schema: JSON) -> [String] {
        mismatches(value, against: schema).map(\.description)
    }

    /// The problems as values: where each is and what kind, for a diagnosis that names a field.
    public func mismatches(_ value: JSON, against schema: JSON) -> [SchemaProblem] {
        mismatches(value, against: compile(schema))
    }

    /// `schema` made ready to check values against many times: keys read, `$ref`s linked, patterns compiled.
    public func compile(_ schema: JSON) -> Compiled {
        var compiled = compiledReferences
        return Compiled(schema, references, &compiled)
    }

    public func mismatches(_ value: JSON, against schema: Compiled) -> [SchemaProblem] {
        // Where a value is: kept as components and written out only for a problem (most values have none).
        var path: [JSONPath.Component] = []
        var found: [SchemaProblem] = []
        schema.check(value, &path, &found)
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

extension SchemaValidator {
    /// One schema's rules, read once. A `$ref` links to its target's node, so recursive schemas are
    /// cycles of nodes; nodes are only written while compiling.
    public final class Compiled: @unchecked Sendable {
        var isFalse = false
        var reference: Compiled?
        var missingReference: String?
        /// Whether rules other than `$ref` apply beside it.
        var hasSiblings = true
        var types: [String]?
        var enumValues: [JSON]?
        var constant: JSON?
        var anyOf: [Compiled]?
        var allOf: [Compiled] = []
        var not: Compiled?
        var properties: [String: Compiled] = [:]
        var required: [String] = []
        var additionalProperties: Compiled?
        var noAdditionalProperties = false
        var items: Compiled?
        var minItems: Int?
        var maxItems: Int?
        var minimum: Double?
        var maximum: Double?
        var minLength: Int?
        var maxLength: Int?
        var pattern: (source: String, expression: NSRegularExpression?)?

        private init() {}

        /// The node of a `$ref`, made once per reference (before its rules, so a cycle finds it).
        static func reference(_ reference: String, _ schema: JSON, _ references: [String: JSON], _ made: inout [String: Compiled]) -> Compiled {
            if let node = made[reference] { return node }
            let node = Compiled()
            made[reference] = node
            node.read(schema, references, &made)
            return node
        }

        convenience init(_ schema: JSON, _ references: [String: JSON], _ made: inout [String: Compiled]) {
            self.init()
            read(schema, references, &made)
        }

        private func read(_ schema: JSON, _ references: [String: JSON], _ made: inout [String: Compiled]) {
            func compile(_ part: JSON) -> Compiled { Compiled(part, references, &made) }
            guard case .object(var rules) = schema else {
                isFalse = schema == .bool(false)
                hasSiblings = false
                return
            }
            if case .string(let name)? = rules.removeValue(forKey: "$ref") {
                if let target = references[name] {
                    reference = Self.reference(name, target, references, &made)
                } else {
                    missingReference = name
                }
                hasSiblings = !rules.isEmpty
            }
            switch rules["type"] {
            case .string(let type)?: types = [type]
            case .array(let options)?: types = options.compactMap(\.string)
            default: break
            }
            if case .array(let values)? = rules["enum"] { enumValues = values }
            constant = rules["const"]
            if case .array(let options)? = rules["anyOf"] ?? rules["oneOf"] { anyOf = options.map(compile) }
            if case .array(let parts)? = rules["allOf"] { allOf = parts.map(compile) }
            not = rules["not"].map(compile)
            properties = (rules["properties"]?.object ?? [:]).mapValues(compile)
            if case .array(let names)? = rules["required"] { required = names.compactMap(\.string) }
            if let extra = rules["additionalProperties"] {
                if extra == .bool(false) { noAdditionalProperties = true } else { additionalProperties = compile(extra) }
            }
            items = rules["items"].map(compile)
            minItems = rules["minItems"]?.number.map { Int($0) }
            maxItems = rules["maxItems"]?.number.map { Int($0) }
            minimum = rules["minimum"]?.number
            maximum = rules["maximum"]?.number
            minLength = rules["minLength"]?.number.map { Int($0) }
            maxLength = rules["maxLength"]?.number.map { Int($0) }
            if let source = rules["pattern"]?.string { pattern = (source, try? NSRegularExpression(pattern: source)) }
        }

        func check(_ value: JSON, _ path: inout [JSONPath.Component], _ found: inout [SchemaProblem]) {
            func problem(_ text: String, _ kind: SchemaProblem.Kind = .other) {
                found.append(SchemaProblem(path: path, kind: kind, text: text))
            }
            if isFalse { return problem("no value is allowed here") }
            if let missingReference { return problem("the document has no schema \(missingReference)") }
            if let reference {
                reference.check(value, &path, &found)
                guard hasSiblings else { return }
            }
            if let types, !types.contains(where: { SchemaValidator.matches(value, type: $0) }) {
                return problem("\(SchemaValidator.describe(value)) is not \(types.joined(separator: " or "))", .wrongType(expected: types))
            }
            if let enumValues, !enumValues.contains(value) {
                problem(
                    "\(SchemaValidator.describe(value)) is not one of \(enumValues.map(SchemaValidator.describe).joined(separator: ", "))",
                    .notAnAllowedValue)
            }
            if let constant, constant != value {
                problem("\(SchemaValidator.describe(value)) is not \(SchemaValidator.describe(constant))")
            }
            if let anyOf {
                var best: [SchemaProblem]?
                for option in anyOf {
                    var attempt: [SchemaProblem] = []
                    option.check(value, &path, &attempt)
                    if attempt.isEmpty {
                        best = []
                        break
                    }
                    if best == nil || attempt.count < best!.count { best = attempt }
                }
                found += best ?? []
            }
            for part in allOf { part.check(value, &path, &found) }
            if let not {
                var attempt: [SchemaProblem] = []
                not.check(value, &path, &attempt)
                if attempt.isEmpty { problem("\(SchemaValidator.describe(value)) is what is not allowed here") }
            }
            switch value {
            case .object(let members):
                for name in required where members[name] == nil {
                    path.append(.key(name))
                    problem("is required but missing", .missing)
                    path.removeLast()
                }
                // Members in the dictionary's order first; only when one has a problem are they checked
                // again in name order, so the problems read the same from run to run.
                let before = found.count
                checkMembers(members, in: members, &path, &found)
                if found.count > before {
                    found.removeSubrange(before...)
                    checkMembers(members.sorted { $0.key < $1.key }, in: members, &path, &found)
                }
            case .array(let elements):
                if let minItems, elements.count < minItems {
                    problem("\(SchemaValidator.describe(value)) has fewer than \(minItems) items")
                }
                if let maxItems, elements.count > maxItems {
                    problem("\(SchemaValidator.describe(value)) has more than \(maxItems) items")
                }
                if let items {
                    for (index, element) in elements.enumerated() {
                        path.append(.index(index))
                        items.check(element, &path, &found)
                        path.removeLast()
                    }
                }
            case .number(let number):
                if let minimum, number < minimum {
                    problem("\(SchemaValidator.describe(value)) is below \(SchemaValidator.describe(.number(minimum)))")
                }
                if let maximum, number > maximum {
                    problem("\(SchemaValidator.describe(value)) is above \(SchemaValidator.describe(.number(maximum)))")
                }
            case .string(let text):
                if let minLength, text.count < minLength {
                    problem("\(SchemaValidator.describe(value)) is shorter than \(minLength)")
                }
                if let maxLength, text.count > maxLength {
                    problem("\(SchemaValidator.describe(value)) is longer than \(maxLength)")
                }
                if let pattern, !Self.matches(text, pattern) {
                    problem("\(SchemaValidator.describe(value)) does not match \(pattern.source)")
                }
            default:
                break
            }
        }

        private func checkMembers(
            _ ordered: some Sequence<(key: String, value: JSON)>, in members: [String: JSON], _ path: inout [JSONPath.Component],
            _ found: inout [SchemaProblem]
        ) {
            for (name, member) in ordered {
                if let property = properties[name] {
                    path.append(.key(name))
                    property.check(member, &path, &found)
                    path.removeLast()
                } else if noAdditionalProperties {
                    path.append(.key(name))
                    found.append(SchemaProblem(path: path, kind: .notInDocument, text: "is not in the document"))
                    path.removeLast()
                } else if let additionalProperties {
                    path.append(.key(name))
                    additionalProperties.check(member, &path, &found)
                    path.removeLast()
                }
            }
        }

        /// Whether `pattern` matches somewhere in `text`, as `String.range(of:options: .regularExpression)` would.
        static func matches(_ text: String, _ pattern: (source: String, expression: NSRegularExpression?)) -> Bool {
            guard let expression = pattern.expression else { return text.range(of: pattern.source, options: .regularExpression) != nil }
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
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
