import HTTPTypes
import ServiceKit

/// Balanced's collection envelope: `{"<plural>": [resources], "links": {URI templates}, "meta": {paging}}`.
enum Envelope {
    /// A page of a collection, newest first, with Balanced's paging hrefs.
    static func page(
        _ plural: String, _ items: [JSON], links: [String: JSON], path: String,
        limit: Int, offset: Int, total: Int
    ) -> JSON {
        // `path` may carry the list's filters (`/debits?amount[>]=100`); paging follows them.
        let separator = path.contains("?") ? "&" : "?"
        func href(_ offset: Int) -> JSON { .string("\(path)\(separator)limit=\(limit)&offset=\(offset)") }
        let last = total == 0 ? 0 : ((total - 1) / limit) * limit
        let meta: JSON = [
            "limit": .number(Double(limit)), "offset": .number(Double(offset)), "total": .number(Double(total)),
            "href": href(offset), "first": href(0), "last": href(last),
            "next": offset + limit < total ? href(offset + limit) : nil,
            "previous": offset > 0 ? href(max(0, offset - limit)) : nil,
        ]
        return [plural: .array(items), "links": .object(links), "meta": meta]
    }
}
