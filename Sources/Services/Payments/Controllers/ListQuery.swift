import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Balanced's filters and sorts on a list, as its clients send them: `?amount=1300`,
/// `?status=succeeded,pending` (any of), `?amount[>]=1300` (also `<`, `<=`, `>=`, `!=`),
/// `?description[contains]=gift` (also `startswith`, `endswith`, `!contains`), `?meta.tag=gift` (a key of
/// the resource's `meta`, with the same operators as text), `?sort=amount,asc`.
struct ListQuery: Sendable {
    /// How a field's values are read from the query and compared.
    enum Kind: Sendable { case integer, text, time }

    var filter: SQLExpression = true.sqlExpression
    var ordering: [SQLOrdering] = []
    /// The filters and sorts as given, decoded: the paging hrefs carry them on.
    var given: [(key: String, value: String)] = []

    /// True when the query asks for neither a filter nor a sort: the fast, counted path applies.
    var isPlain: Bool { given.isEmpty }

    /// The list's path with its filters and sorts, encoded, for paging hrefs to follow.
    func path(_ path: String) -> String {
        func encoded(_ text: String, keeping reserved: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(.init(charactersIn: reserved))) ?? ""
        }
        guard !given.isEmpty else { return path }
        return path + "?" + given.map { encoded($0.key, keeping: "&=[]") + "=" + encoded($0.value, keeping: "&=+") }.joined(separator: "&")
    }

    static let paging: Set<String> = ["limit", "offset"]
    /// How many items a page may hold, and where it may start.
    static let limits = 1...100, offsets = 0...Int(Int32.max)

    /// Every value `sort` takes on the collection `plural`: `amount,asc`, `created_at,desc`, …
    static func sorts(_ plural: String) -> [String] {
        filterable(plural).keys.sorted().flatMap { ["\($0),asc", "\($0),desc"] }
    }

    /// What each collection may be filtered and sorted on.
    static let fields: [String: [String: Kind]] = {
        let common: [String: Kind] = ["id": .text, "created_at": .time, "updated_at": .time]
        let money: [String: Kind] = ["amount": .integer, "currency": .text, "status": .text, "description": .text, "transaction_number": .text]
        return [
            "debits": common.merging(money) { a, _ in a }.merging(["appears_on_statement_as": .text]) { a, _ in a },
            "refunds": common.merging(money) { a, _ in a },
            "card_holds": common.merging(money) { a, _ in a },
            "customers": common.merging(["name": .text, "email": .text, "business_name": .text, "merchant_status": .text]) { a, _ in a },
            "cards": common.merging(["name": .text, "brand": .text]) { a, _ in a },
        ]
    }()

    /// The fields the collection `plural` may be filtered and sorted on.
    static func filterable(_ plural: String) -> [String: Kind] {
        fields[plural] ?? ["id": .text, "created_at": .time, "updated_at": .time]
    }

    /// The request's query, its names and values percent-decoded (`amount%5B%3E%5D` is `amount[>]`).
    static func parameters(of request: Request) -> [(key: String, value: String)] {
        func decoded(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return request.uri.queryParameters.map { (decoded($0.key), decoded($0.value)) }
    }

    /// The filters and sorts of the request's query on the collection `plural`; every collection with
    /// fields of its own also has `meta`.
    init(_ request: Request, on plural: String) throws(ServiceError) {
        try self.init(Self.parameters(of: request), fields: Self.filterable(plural), meta: Self.fields[plural] != nil)
    }

    /// - Parameters:
    ///   - fields: the fields of the resource that may be filtered and sorted on (each a column of the
    ///     same name).
    ///   - meta: whether the resource has a `meta` column (a JSON object of strings) to filter on by key.
    init(_ parameters: [(key: String, value: String)], fields: [String: Kind], meta: Bool = false) throws(ServiceError) {
        let known = fields.keys.sorted().joined(separator: ", ") + (meta ? ", meta.KEY" : "")
        for (key, value) in parameters where !Self.paging.contains(key) {
            given.append((key, value))
            if key == "sort" {
                let parts = value.split(separator: ",").map(String.init)
                guard parts.count == 2, fields[parts[0]] != nil, ["asc", "desc"].contains(parts[1]) else {
                    throw ServiceError.invalidField("sort", "must be FIELD,asc or FIELD,desc, FIELD one of \(known)")
                }
                let column = Column(parts[0])
                ordering.append(parts[1] == "asc" ? column.asc : column.desc)
                continue
            }
            var name = key
            var operation = "="
            if let open = key.firstIndex(of: "["), key.hasSuffix("]") {
                name = String(key[..<open])
                operation = String(key[key.index(after: open)..<key.index(before: key.endIndex)])
            }
            if meta, name.hasPrefix("meta.") {
                let metaKey = String(name.dropFirst("meta.".count))
                guard !metaKey.isEmpty else { throw ServiceError.invalidField(name, "names no key; filter on meta.KEY, like meta.tag") }
                let stored = SQL("(SELECT value FROM json_each(meta) WHERE key = \(metaKey))").sqlExpression
                filter = filter && (try Self.condition(stored, operation, value, .text, field: key))
                continue
            }
            guard let kind = fields[name] else { throw ServiceError.invalidField(name, "cannot be filtered on; filter on \(known)") }
            filter = filter && (try Self.condition(Column(name).sqlExpression, operation, value, kind, field: key))
        }
    }

    static func condition(_ column: SQLExpression, _ operation: String, _ raw: String, _ kind: Kind, field: String) throws(ServiceError)
        -> SQLExpression
    {
        switch operation {
        case "=":
            let values = try raw.split(separator: ",", omittingEmptySubsequences: false).map { piece throws(ServiceError) in
                try value(String(piece), kind, field: field)
            }
            return values.count == 1 ? column == values[0] : values.contains(column)
        case "!=": return column != (try value(raw, kind, field: field))
        case "<": return column < (try value(raw, kind, field: field))
        case "<=": return column <= (try value(raw, kind, field: field))
        case ">": return column > (try value(raw, kind, field: field))
        case ">=": return column >= (try value(raw, kind, field: field))
        case "startswith", "endswith", "contains", "!contains":
            guard kind == .text else { throw ServiceError.invalidField(field, "\(operation) applies to text fields only") }
            let escaped = raw.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            let pattern =
                switch operation {
                case "startswith": escaped + "%"
                case "endswith": "%" + escaped
                default: "%" + escaped + "%"
                }
            let like = SQL("\(column) LIKE \(pattern) ESCAPE '\\'").sqlExpression
            return operation == "!contains" ? !like : like
        default:
            throw ServiceError.invalidField(
                field, "has an unknown operator [\(operation)]: use <, <=, >, >=, !=, startswith, endswith, contains or !contains")
        }
    }

    static func value(_ raw: String, _ kind: Kind, field: String) throws(ServiceError) -> DatabaseValue {
        switch kind {
        case .text:
            return raw.databaseValue
        case .integer:
            guard let number = Int(raw) else { throw ServiceError.invalidField(field, "must be a whole number, not \(raw)") }
            return number.databaseValue
        case .time:
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: raw) ?? ISO8601DateFormatter().date(from: raw) else {
                throw ServiceError.invalidField(field, "must be an ISO 8601 time, not \(raw)")
            }
            return date.microsecondsSince1970.databaseValue
        }
    }
}
