import ServiceKit

/// Balanced's response envelope: `{"<plural>": [resources], "links": {URI templates}, "meta": {paging}}`.
enum Envelope {
    static let cardLinks: [String: JSON] = [
        "cards.card_holds": "/cards/{cards.id}/card_holds", "cards.customer": "/customers/{cards.customer}",
        "cards.debits": "/cards/{cards.id}/debits", "cards.disputes": "/cards/{cards.id}/disputes",
    ]
    static let debitLinks: [String: JSON] = [
        "debits.customer": "/customers/{debits.customer}", "debits.dispute": "/disputes/{debits.dispute}",
        "debits.events": "/debits/{debits.id}/events", "debits.order": "/orders/{debits.order}",
        "debits.refunds": "/debits/{debits.id}/refunds", "debits.source": "/resources/{debits.source}",
        "debits.card_hold": "/holds/{debits.card_hold}",
    ]

    static func single(_ plural: String, _ resource: JSON, links: [String: JSON]) -> JSON {
        [plural: [resource], "links": .object(links)]
    }

    /// A page of a collection, newest first, with Balanced's paging hrefs.
    static func page(_ plural: String, _ items: [JSON], links: [String: JSON], path: String,
                     limit: Int, offset: Int, total: Int) -> JSON {
        func href(_ offset: Int) -> JSON { .string("\(path)?limit=\(limit)&offset=\(offset)") }
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
