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

    /// A string matching `regex` whole. Anchored with `$(?!\n)`, not `$` alone: schemathesis reads patterns
    /// with Python's `re`, whose `$` also matches before a final newline, so `"12\n"` would pass for digits.
    public static func matching(_ regex: String) -> Schema {
        Schema(["type": "string", "pattern": .string("^(?:\(regex))$(?!\\n)")])
    }

    /// An integer within `range`.
    public static func integer(_ range: ClosedRange<Int>) -> Schema {
        Schema(["type": "integer", "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))])
    }

    /// A whole number within `range` as Balanced's clients sent one (`JSON.wholeNumber`): a JSON integer,
    /// or its decimal digits as a string (`"50"`, `"05"`).
    ///
    /// One schema of two types rather than an `anyOf`: `minimum` and `maximum` apply to the integer and
    /// `pattern` to the string, and client generators read it as the first type, an integer.
    public static func whole(_ range: ClosedRange<Int>) -> Schema {
        precondition(range.upperBound >= 0, "a string of digits is never negative")
        let exact = max(range.lowerBound, -JSON.largestExactInteger)...min(range.upperBound, JSON.largestExactInteger)
        return integerOrString(exact, pattern: "0*(?:\(decimalPattern(max(range.lowerBound, 0)...range.upperBound)))")
    }

    /// An integer within `range`, or a string matching `pattern` whole (`matching`), as one schema of two
    /// types; a generated client reads it as an integer.
    public static func integerOrString(_ range: ClosedRange<Int>, pattern: String) -> Schema {
        Schema([
            "type": ["integer", "string"], "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound)),
            "pattern": matching(pattern).json["pattern"],
        ])
    }

    /// A string matching `pattern` whole, or an integer within `range`, as one schema of two types; a
    /// generated client reads it as a string.
    public static func stringOrInteger(pattern: String, _ range: ClosedRange<Int>) -> Schema {
        Schema([
            "type": ["string", "integer"], "pattern": matching(pattern).json["pattern"], "minimum": .number(Double(range.lowerBound)),
            "maximum": .number(Double(range.upperBound)),
        ])
    }

    /// Any of `schemas`.
    public static func anyOf(_ schemas: Schema...) -> Schema { Schema(["anyOf": .array(schemas.map(\.json))]) }

    /// This schema with a description: what a reader needs that its keywords cannot say.
    public func described(_ text: String) -> Schema {
        var copy = json.object ?? [:]
        copy["description"] = .string(text)
        return Schema(.object(copy))
    }

    /// A regular expression matching the decimal numerals of `range` (no sign, no leading zeros):
    /// `1...12` is `[1-9]|1[0-2]`. Numerals of each length are split where their digits stop running
    /// over a whole class (`0-9`), so each alternative is a few digit classes.
    static func decimalPattern(_ range: ClosedRange<Int>) -> String {
        precondition(range.lowerBound >= 0, "numerals of negative numbers have a sign")
        var alternatives: [String] = []
        var low = range.lowerBound
        while low <= range.upperBound {
            let digits = String(low).count
            let longest = digits >= 19 ? Int.max : Int(pow(10, Double(digits))) - 1
            let high = min(range.upperBound, longest)
            alternatives += sameLength(Array(String(low)), Array(String(high)))
            if high == Int.max { break }
            low = high + 1
        }
        return alternatives.joined(separator: "|")
    }

    /// Alternatives matching the numerals from `low` to `high`, two numerals of the same length.
    private static func sameLength(_ low: [Character], _ high: [Character]) -> [String] {
        guard let first = low.first, let last = high.first else { return [""] }
        let (lowRest, highRest) = (Array(low.dropFirst()), Array(high.dropFirst()))
        if first == last { return sameLength(lowRest, highRest).map { String(first) + $0 } }
        let any = lowRest.isEmpty ? "" : "[0-9]" + (lowRest.count > 1 ? "{\(lowRest.count)}" : "")
        func digits(_ from: Character, _ to: Character) -> String { from == to ? String(from) : "[\(from)-\(to)]" }
        var alternatives: [String] = []
        var (from, to) = (first, last)
        if !lowRest.allSatisfy({ $0 == "0" }) {
            alternatives += sameLength(lowRest, Array(repeating: "9", count: lowRest.count)).map { String(first) + $0 }
            from = Character(Unicode.Scalar(first.asciiValue! + 1))
        }
        var upper: [String] = []
        if !highRest.allSatisfy({ $0 == "9" }) {
            upper = sameLength(Array(repeating: "0", count: highRest.count), highRest).map { String(last) + $0 }
            to = Character(Unicode.Scalar(last.asciiValue! - 1))
        }
        if from <= to { alternatives.append(digits(from, to) + any) }
        return alternatives + upper
    }

    /// This schema, or null: one more type, or one more option of an `anyOf`, rather than a nested `anyOf`
    /// (which client generators read less well).
    public var orNull: Schema {
        var copy = json.object ?? [:]
        if case .string(let type)? = copy["type"], copy["$ref"] == nil {
            copy["type"] = [.string(type), "null"]
            if case .array(let values)? = copy["enum"] { copy["enum"] = .array(values + [.null]) }
            return Schema(.object(copy))
        }
        if case .array(let types)? = copy["type"], copy["$ref"] == nil, copy["enum"] == nil {
            if !types.contains("null") { copy["type"] = .array(types + ["null"]) }
            return Schema(.object(copy))
        }
        if case .array(let options)? = copy["anyOf"], copy.keys.allSatisfy(["anyOf", "description"].contains) {
            copy["anyOf"] = .array(options + [["type": "null"]])
            return Schema(.object(copy))
        }
        return Schema(["anyOf": [json, ["type": "null"]]])
    }

    /// An object with exactly these properties, each required unless listed in `optional`; with
    /// `open`, other properties may come too.
    public static func object(_ properties: KeyValuePairs<String, Schema>, optional: Set<String> = [], open: Bool = false) -> Schema {
        var object: [String: JSON] = [
            "type": "object", "properties": .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.key, $0.value.json) })),
        ]
        let required = properties.map(\.key).filter { !optional.contains($0) }.sorted()
        if !required.isEmpty { object["required"] = .array(required.map(JSON.string)) }
        if !open { object["additionalProperties"] = false }
        return Schema(.object(object))
    }
}
