import Foundation
import NIOCore
import ServiceKit

/// Reading the fields of a client's request the way Balanced did: numeric strings are numbers,
/// references may be ids or hrefs, `meta` is a flat map of strings, and every problem names its field.
///
/// Payments' OpenAPI document describes requests from the same rules (`amounts`, `referencePattern`,
/// `JSON.wholeNumber`), so what it says a field takes is what is taken here.
enum Fields {
    /// Amounts in cents: positive, and at most the largest of Balanced's 32-bit amounts.
    static let amounts = 1...Int(Int32.max)

    /// A string field: `.none` when absent, `.some(nil)` when null.
    static func string(_ fields: [String: JSON], _ key: String) throws(ServiceError) -> String?? {
        switch fields[key] {
        case nil: return .none
        case .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        case let number? where number.exactInteger != nil: return .some(String(number.exactInteger!))
        default: throw ServiceError.invalidField(key, "must be a string")
        }
    }

    /// An integer field: `.none` when absent, `.some(nil)` when null.
    static func integer(_ fields: [String: JSON], _ key: String, _ range: ClosedRange<Int>) throws(ServiceError) -> Int?? {
        guard let given = fields[key] else { return .none }
        if given.isNull { return .some(nil) }
        guard let number = given.wholeNumber, range.contains(number) else {
            throw ServiceError.invalidField(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return .some(number)
    }

    /// An amount in cents: a positive integer that fits Balanced's 32-bit amounts.
    static func amount(_ fields: [String: JSON], required: Bool = true) throws(ServiceError) -> Int? {
        guard let given = fields["amount"], !given.isNull else {
            if required { throw ServiceError.invalidAmount("is required") }
            return nil
        }
        guard let value = given.wholeNumber, amounts.contains(value) else {
            throw ServiceError.invalidAmount("must be a positive integer number of cents, at most \(amounts.upperBound)")
        }
        return value
    }

    /// The one currency, in any case.
    static let currencyPattern = "[Uu][Ss][Dd]"

    static func currency(_ fields: [String: JSON]) throws(ServiceError) -> String {
        switch fields["currency"] ?? "USD" {
        case .string(let code) where code.wholeMatches(currencyPattern): return "USD"
        case .null: return "USD"
        default: throw ServiceError.invalidField("currency", "must be USD")
        }
    }

    /// `meta`: an object whose values are strings (numbers and booleans are written as strings).
    static func meta(_ fields: [String: JSON]) throws(ServiceError) -> String? {
        guard let given = fields["meta"] else { return nil }
        if given.isNull { return "{}" }
        guard let object = given.object else { throw ServiceError.invalidField("meta", "must be an object of strings") }
        var meta: [String: JSON] = [:]
        for (key, value) in object {
            switch value {
            case .string: meta[key] = value
            case .number(let number): meta[key] = .string(Int(exactly: number).map(String.init) ?? String(number))
            case .bool(let flag): meta[key] = .string(String(flag))
            default: throw ServiceError.invalidField("meta.\(key)", "must be a string")
            }
        }
        return String(buffer: JSON.object(meta).encoded())
    }

    static func metaJSON(_ stored: String) -> JSON {
        (try? JSON(parsing: ByteBuffer(string: stored))) ?? [:]
    }

    /// What a reference to a resource whose ids start with one of `prefixes` looks like: its id
    /// (`CC…`), or an href (`/cards/CC…`).
    static func referencePattern(_ prefixes: [String]) -> String {
        "(?:/[a-z_]+/)?(?:\(prefixes.joined(separator: "|")))[0-9A-Za-z]+"
    }

    /// A reference to another resource (`referencePattern`): its id, `.none` when absent, `.some(nil)` when null.
    static func reference(_ value: JSON?, _ field: String, prefixes: [String]) throws(ServiceError) -> String?? {
        switch value {
        case nil: return .none
        case .null?: return .some(nil)
        case .string(let text)? where text.wholeMatches(referencePattern(prefixes)):
            return .some(String(text.split(separator: "/").last!))
        default:
            throw ServiceError.invalidField(field, "must be the id or href of a \(prefixes.joined(separator: "/")) resource")
        }
    }

    /// A link given as `links.<name>` or as a top-level `<name>`, `links` winning; both are checked when
    /// both are given, and `links`, when given, is an object.
    static func link(_ fields: [String: JSON], _ name: String, prefixes: [String]) throws(ServiceError) -> String?? {
        let top = try reference(fields[name], name, prefixes: prefixes)
        switch fields["links"] {
        case .object(let links)? where links[name] != nil: return try reference(links[name], "links.\(name)", prefixes: prefixes)
        case nil, .null?, .object?: return top
        default: throw ServiceError.invalidField("links", "must be an object")
        }
    }
}
