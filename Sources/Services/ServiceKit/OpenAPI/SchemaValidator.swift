import Foundation

/// Checks a JSON value against a JSON Schema, reporting every mismatch with the path where it is
/// (`$.debits[0].status`). The keywords OpenAPI documents use: `$ref` (to `#/components/schemas/…`),
/// `type` (one or several), `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`,
/// `anyOf`, `oneOf`, `allOf`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`.
public struct SchemaValidator: Sendable {
    let components: [String: JSON]

    /// - Parameter components: the document's `components.schemas`, which `$ref`s name.
    public init(components: [String: JSON]) { self.components = components }

    public func problems(_ value: JSON, against schema: JSON, at path: String = "$") -> [String] {
        guard let rules = schema.object else { return schema == .bool(false) ? ["\(path): no value is allowed here"] : [] }
        if case .string(let reference)? = rules["$ref"] {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = components[name] else { return ["\(path): the document has no schema \(name)"] }
            return problems(value, against: target, at: path)
        }
        if let types = rules["type"] {
            let allowed = types.array?.compactMap(\.string) ?? [types.string].compactMap { $0 }
            guard allowed.contains(where: { Self.matches(value, type: $0) }) else {
                return ["\(path): \(Self.describe(value)) is not \(allowed.joined(separator: " or "))"]
            }
        }
        var found: [String] = []
        if case .array(let values)? = rules["enum"], !values.contains(value) {
            found.append("\(path): \(Self.describe(value)) is not one of \(values.map(Self.describe).joined(separator: ", "))")
        }
        if let constant = rules["const"], constant != value { found.append("\(path): \(Self.describe(value)) is not \(Self.describe(constant))") }
        if case .array(let options)? = rules["anyOf"] ?? rules["oneOf"] {
            let results = options.map { problems(value, against: $0, at: path) }
            if !results.contains(where: \.isEmpty) { found += results.min { $0.count < $1.count } ?? [] }
        }
        if case .array(let all)? = rules["allOf"] { found += all.flatMap { problems(value, against: $0, at: path) } }
        switch value {
        case .object(let members):
            let properties = rules["properties"]?.object ?? [:]
            for case .string(let name) in rules["required"]?.array ?? [] where members[name] == nil {
                found.append("\(path).\(name): is required but missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    found += problems(member, against: property, at: "\(path).\(name)")
                } else if let extra = rules["additionalProperties"] {
                    if extra == .bool(false) {
                        found.append("\(path).\(name): is not in the document")
                    } else {
                        found += problems(member, against: extra, at: "\(path).\(name)")
                    }
                }
            }
        case .array(let elements):
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() { found += problems(element, against: items, at: "\(path)[\(index)]") }
            }
        case .number(let number):
            if let minimum = rules["minimum"]?.number, number < minimum { found.append("\(path): \(Self.describe(value)) is below \(Self.describe(.number(minimum)))") }
            if let maximum = rules["maximum"]?.number, number > maximum { found.append("\(path): \(Self.describe(value)) is above \(Self.describe(.number(maximum)))") }
        case .string(let text):
            if let minimum = rules["minLength"]?.number, text.count < Int(minimum) { found.append("\(path): \(Self.describe(value)) is shorter than \(Int(minimum))") }
            if let maximum = rules["maxLength"]?.number, text.count > Int(maximum) { found.append("\(path): \(Self.describe(value)) is longer than \(Int(maximum))") }
            if let pattern = rules["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \(Self.describe(value)) does not match \(pattern)")
            }
        default:
            break
        }
        return found
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
