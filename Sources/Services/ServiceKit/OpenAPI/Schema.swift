import Foundation

/// A JSON Schema (the 2020-12 dialect OpenAPI 3.1 uses), built in Swift and kept as its JSON.
///
/// ```swift
/// let debit = Schema.object(["id": .string, "amount": .integer, "status": .oneOf("succeeded", "failed")])
/// ```
public struct Schema: Sendable, Equatable, ExpressibleByStringLiteral {
    public var json: JSON

    public init(_ json: JSON) { self.json = json }

    /// A reference to a schema of the document's `components.schemas`.
    public init(stringLiteral name: String) { json = ["$ref": .string("#/components/schemas/\(name)")] }

    public static let string = Schema(["type": "string"])
    public static let integer = Schema(["type": "integer"])
    public static let number = Schema(["type": "number"])
    public static let boolean = Schema(["type": "boolean"])
    /// Any JSON value.
    public static let any = Schema([:])
    /// An object whose values are strings (Balanced's `meta`).
    public static let strings = Schema(["type": "object", "additionalProperties": ["type": "string"]])

    public static func oneOf(_ values: String...) -> Schema { Schema(["type": "string", "enum": .array(values.map(JSON.string))]) }
    public static func array(_ items: Schema) -> Schema { Schema(["type": "array", "items": items.json]) }
    public static func ref(_ name: String) -> Schema { Schema(stringLiteral: name) }

    /// This schema, or null.
    public var orNull: Schema {
        if case .string(let type)? = json.object?["type"], json.object?["$ref"] == nil {
            var copy = json.object ?? [:]
            copy["type"] = [.string(type), "null"]
            if case .array(let values)? = copy["enum"] { copy["enum"] = .array(values + [.null]) }
            return Schema(.object(copy))
        }
        return Schema(["anyOf": [json, ["type": "null"]]])
    }

    /// An object with exactly these properties, each required unless listed in `optional`; with
    /// `open`, other properties may come too.
    public static func object(_ properties: KeyValuePairs<String, Schema>, optional: Set<String> = [], open: Bool = false) -> Schema {
        var object: [String: JSON] = ["type": "object", "properties": .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.key, $0.value.json) }))]
        let required = properties.map(\.key).filter { !optional.contains($0) }.sorted()
        if !required.isEmpty { object["required"] = .array(required.map(JSON.string)) }
        if !open { object["additionalProperties"] = false }
        return Schema(.object(object))
    }
}
