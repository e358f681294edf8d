import ServiceKit

/// What payments' document says a request may carry: each schema built from the rules the controllers
/// read fields with (`Fields`, `ChargeInput`, `Customer.merge`, `ListQuery`), so the document takes what
/// the server takes and refuses what it refuses.
///
/// Balanced read requests more loosely than a strict schema would, and the schemas say so: unknown
/// keys are ignored (every object is open), a whole number may come as a string of its digits, a text
/// field as an integer, and a resource flat or in its envelope.
extension PaymentsAPI {
    /// A text field (`Fields.string`): a string, an integer (kept as its digits), or null.
    static let textIn = Schema([
        "type": ["string", "integer", "null"], "minimum": .number(-Double(JSON.largestExactInteger)),
        "maximum": .number(Double(JSON.largestExactInteger)),
    ])
    /// `meta` (`Fields.meta`): strings, numbers and booleans by key, kept as strings; null empties it.
    static let metaIn = Schema(["type": ["object", "null"], "additionalProperties": ["type": ["string", "number", "boolean"]]])
        .described("Kept as strings: a number or boolean is written as its text. Null empties it.")
    static let amountIn = Schema.whole(Fields.amounts).described("Cents: an integer, or its digits as a string (\"50\").")

    /// A reference to a resource by id (`CC…`) or href (`/cards/CC…`), or null to unset it.
    static func reference(_ prefixes: String...) -> Schema { Schema.matching(Fields.referencePattern(prefixes)).orNull }

    /// A resource's fields (the schema `name`) sent flat, or in its envelope (`{"debits": [{…}]}`), as
    /// `Request.fields` reads them. A key named like the envelope that is not an array is just an unknown key.
    static func body(_ plural: String, _ name: String) -> Schema {
        let envelope = Schema([
            "type": "object", "required": [.string(plural)],
            "properties": [
                plural: [
                    "type": "array", "items": ["$ref": .string("#/components/schemas/\(name)"), "type": "object"], "minItems": 1, "maxItems": 1,
                ]
            ],
        ])
        return Schema([
            "oneOf": [
                ["$ref": .string("#/components/schemas/\(name)"), "properties": [plural: ["not": ["type": "array"]]]], envelope.json,
            ]
        ])
    }

    /// The fields of a request that requires none: `null`, like an empty body, is no fields (Balanced's test
    /// client sends `null` for no body). Said here, not as an option of the body, which client generators drop whole.
    static func noneRequired(_ fields: Schema) -> Schema { fields.orNull.described("Null, like an empty body, is no fields.") }

    /// A card to tokenize, as vault validates it (payments passes the fields on).
    static let newCard = Schema.object(
        [
            "number": Schema.stringOrInteger(pattern: "[ -]*(?:[0-9][ -]*){13,19}", 1_000_000_000_000...JSON.largestExactInteger)
                .described("13 to 19 digits; spaces and dashes between them are dropped. As an integer, at most 2^53 − 1, so it arrives exactly."),
            "expiration_month": .whole(1...12),
            "expiration_year": Schema.whole(1000...9999).described("Past years are taken (Balanced's tests use 2016)."),
            "cvv": Schema.stringOrInteger(pattern: "[0-9]{3,4}", 100...9999).orNull
                .described("Four digits on American Express cards, three on the others; the wrong length for the card's brand is a 409."),
            "name": Schema.string.orNull,
            "address": Schema([
                "type": ["object", "null"],
                "properties": .object(
                    Dictionary(
                        uniqueKeysWithValues: [
                            "line1", "line2", "city", "state", "postal_code",
                        ].map { ($0, textIn.json) } + [("country_code", Schema.matching("[A-Z]{2,3}").orNull.json)])),
            ]),
        ], optional: ["cvv", "name", "address"], open: true
    )
    .described("A number that fails the Luhn check, of no known brand, or with a security code of the wrong length is a 409 card-not-validated.")

    /// What a debit or a hold may say (`ChargeInput`).
    static func charge(amountRequired: Bool = true) -> Schema {
        .object(
            [
                "amount": amountIn, "currency": Schema.matching(Fields.currencyPattern).orNull.described("USD, in any case."),
                "description": textIn, "appears_on_statement_as": Schema.matching(ChargeInput.statementPattern).orNull, "meta": metaIn,
            ],
            optional: amountRequired
                ? ["currency", "description", "appears_on_statement_as", "meta"]
                : ["amount", "currency", "description", "appears_on_statement_as", "meta"], open: true)
    }

    /// `POST /debits`: a charge and the card it names.
    static let debitOfSource: Schema = {
        var properties = charge().json["properties"].object ?? [:]
        properties["source"] = Schema.anyOf(.matching(Fields.referencePattern(["CC"])), .ref("NewCard")).json
        return Schema(["type": "object", "properties": .object(properties), "required": ["amount", "source"]])
    }()

    static let newRefund = noneRequired(
        .object(
            ["amount": amountIn, "description": textIn, "meta": metaIn], optional: ["amount", "description", "meta"],
            open: true))

    /// What a customer may say (`Customer.merge`), on create and on update.
    static let customerFields = noneRequired(
        .object(
            [
                "name": textIn, "business_name": textIn, "email": textIn, "phone": textIn,
                "ssn_last4": Schema.stringOrInteger(pattern: Customer.ssnLast4Pattern, 1000...9999).orNull,
                "ein": Schema.stringOrInteger(pattern: Customer.einPattern, 100_000_000...999_999_999).orNull,
                "dob_month": Schema.whole(Customer.dobMonths).orNull, "dob_year": Schema.whole(Customer.dobYears).orNull,
                "address": Schema([
                    "type": ["object", "null"],
                    "properties": .object(
                        Dictionary(
                            uniqueKeysWithValues: [
                                "line1", "line2", "city", "state", "postal_code", "country_code",
                            ].map { ($0, Schema.string.orNull.json) })),
                ]),
                "meta": metaIn, "source": reference("CC").described("The customer's funding card; a card of another marketplace, or none, is a 404."),
                "links": Schema(["type": ["object", "null"], "properties": ["source": reference("CC").json]]).described(
                    "`links.source` wins over `source`."),
            ],
            optional: ["name", "business_name", "email", "phone", "ssn_last4", "ein", "dob_month", "dob_year", "address", "meta", "source", "links"],
            open: true))

    /// What `PUT` merges into each resource, by envelope and by schema name; every other field it is sent is ignored.
    static let updates: [String: (name: String, schema: Schema)] = [
        "customers": ("CustomerFields", customerFields),
        "cards": (
            "CardUpdate",
            noneRequired(
                .object(
                    [
                        "name": textIn, "meta": metaIn, "customer": reference("CU", "AC"),
                        "links": Schema(["type": ["object", "null"], "properties": ["customer": reference("CU", "AC").json]]),
                    ],
                    optional: ["name", "meta", "customer", "links"], open: true))
        ),
        "card_holds": (
            "CardHoldUpdate",
            noneRequired(
                .object(
                    ["description": textIn, "meta": metaIn, "is_void": Schema.any.described("`true` voids the hold; any other value is ignored.")],
                    optional: ["description", "meta", "is_void"], open: true))
        ),
        "debits": ("DebitUpdate", noneRequired(.object(["description": textIn, "meta": metaIn], optional: ["description", "meta"], open: true))),
        "refunds": ("RefundUpdate", noneRequired(.object(["description": textIn, "meta": metaIn], optional: ["description", "meta"], open: true))),
    ]

    /// What each resource's `PUT` changes, in words, for its operation's description.
    static let updatable: [String: String] = [
        "customers": "its identity, contact, address, `meta` and funding source (`links.source`); fraud underwrites it again",
        "cards": "`name`, `meta` and its customer (`links.customer`)",
        "card_holds": "`description` and `meta`; `is_void: true` voids it",
        "debits": "`description` and `meta`", "refunds": "`description` and `meta`",
    ]

    /// An RFC 6902 JSON Patch: well-formed operations, whatever they point at.
    static let patch = Schema([
        "type": "array",
        "items": [
            "anyOf": [
                Schema.object(["op": .oneOf("add", "replace", "test"), "path": "Pointer", "value": .any], open: true).json,
                Schema.object(["op": .oneOf("remove"), "path": "Pointer"], open: true).json,
                Schema.object(["op": .oneOf("move", "copy"), "path": "Pointer", "from": "Pointer"], open: true).json,
            ]
        ],
    ])

    /// `?limit=` and `?offset=` on every page, and `?sort=` on the fields the collection sorts on.
    static func paging(_ plural: String) -> [APIDocument.Parameter] {
        [
            .query("limit", .integer(ListQuery.limits), "Items on the page (10 unless given)."),
            .query("offset", .integer(ListQuery.offsets), "How many items come before the page."),
            .query(
                "sort", Schema(["type": "string", "enum": .array(ListQuery.sorts(plural).map(JSON.string))]),
                "FIELD,asc or FIELD,desc; newest first unless given."),
        ]
    }

    /// How a page may be filtered, for its operation's description.
    static func filtering(_ plural: String) -> String {
        let fields =
            ListQuery.filterable(plural).keys.sorted().map { "`\($0)`" }.joined(separator: ", ")
            + (ListQuery.fields[plural] != nil ? " and `meta.KEY` (a key of the resource's `meta`)" : "")
        return """
            Filters, as Balanced's clients send them: `?FIELD=a,b` (any of), `?FIELD[OP]=v` with OP one of `<`, `<=`, `>`, `>=`, `!=` \
            (and `startswith`, `endswith`, `contains`, `!contains` on text), on \(fields); paging hrefs keep them. \
            An unknown field or operator, or a value of the wrong kind, is a 400.
            """
    }

    /// The `Idempotency-Key` a money-moving `POST` takes.
    static let idempotencyKey = APIDocument.Parameter.header(
        "Idempotency-Key", Schema(["type": "string", "maxLength": 255]),
        """
        Moves money at most once per key (per marketplace and path): a retry with the same key and body answers what the first \
        request answered (with `Idempotent-Replayed: true`), a duplicate sent while the first runs waits for it, and the key with \
        another body is a 409. A server error (5xx) frees the key for a retry. Empty is no key.
        """)
}
