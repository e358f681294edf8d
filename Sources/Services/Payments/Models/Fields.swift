import Foundation
import NIOCore
import ServiceKit

/// Reading the fields of a client's request the way Balanced did: numeric strings are numbers,
/// references may be ids or hrefs, `meta` is a flat map of strings, and every problem names its field.
enum Fields {
    /// A string field: `.none` when absent, `.some(nil)` when null.
    static func string(_ fields: [String: JSON], _ key: String) throws(ServiceError) -> String?? {
        switch fields[key] {
        case nil: return .none
        case .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        case .number(let number)? where Int(exactly: number) != nil: return .some(String(Int(number)))
        default: throw ServiceError.invalidField(key, "must be a string")
        }
    }

    /// An integer field: `.none` when absent, `.some(nil)` when null.
    static func integer(_ fields: [String: JSON], _ key: String, _ range: ClosedRange<Int>) throws(ServiceError) -> Int?? {
        let number: Int?
        switch fields[key] {
        case nil: return .none
        case .null?: return .some(nil)
        case .number(let value)?: number = Int(exactly: value)
        case .string(let text)?: number = Int(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, range.contains(number) else {
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
        let value: Int?
        switch given {
        case .number(let number): value = Int(exactly: number)
        case .string(let text): value = Int(text.trimmingCharacters(in: .whitespaces))
        default: value = nil
        }
        guard let value, value >= 1, value <= Int(Int32.max) else {
            throw ServiceError.invalidAmount("must be a positive integer number of cents, at most \(Int32.max)")
        }
        return value
    }

    static func currency(_ fields: [String: JSON]) throws(ServiceError) -> String {
        switch fields["currency"] ?? "USD" {
        case .string(let code) where code.uppercased() == "USD": return "USD"
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

    /// A reference to another resource, as an id (`CC…`) or an href (`/cards/CC…`): `.none` when
    /// absent, `.some(nil)` when null.
    static func reference(_ value: JSON?, _ field: String, prefixes: [String]) throws(ServiceError) -> String?? {
        switch value {
        case nil: return .none
        case .null?: return .some(nil)
        case .string(let text)?:
            let id = text.split(separator: "/").last.map(String.init) ?? text
            guard prefixes.contains(where: id.hasPrefix) else {
                throw ServiceError.invalidField(field, "must be the id or href of a \(prefixes.joined(separator: "/")) resource")
            }
            return .some(id)
        default: throw ServiceError.invalidField(field, "must be an id or href")
        }
    }

    /// A link given as `links.<name>` or as a top-level `<name>`.
    static func link(_ fields: [String: JSON], _ name: String, prefixes: [String]) throws(ServiceError) -> String?? {
        if let links = fields["links"]?.object, let value = links[name] {
            return try reference(value, "links.\(name)", prefixes: prefixes)
        }
        return try reference(fields[name], name, prefixes: prefixes)
    }
}
