import ServiceKit

extension VaultService {
    /// Vault's promises, checked against every answer it gives in the acceptance run.
    public var apiDocument: APIDocument? { Self.document }

    static let settlement = Schema.object([
        "id": .string, "order_id": .string, "status": .oneOf("captured", "reversed", "refunded"), "amount": .integer,
    ])

    static let tenant = APIDocument.Parameter.header(
        "X-Tenant", .string,
        """
        The marketplace the call is for; it must be the service credential's tenant (a 403 otherwise). A card is seen by the \
        marketplace that tokenized it, and a card tokenized for none by any.
        """)

    /// A card to tokenize (`CardInput`): numbers may come as strings of digits, as Balanced's clients sent them.
    static let newCard = Schema.object(
        [
            "number": Schema.stringOrInteger(pattern: CardInput.numberPattern, CardInput.numbers)
                .described("13 to 19 digits; spaces and dashes between them are dropped. As an integer, at most 2^53 − 1, so it arrives exactly."),
            "expiration_month": .whole(CardInput.months),
            "expiration_year": Schema.whole(CardInput.years).described("Past years are taken (Balanced's tests use 2016)."),
            "cvv": Schema.stringOrInteger(pattern: CardInput.cvvPattern, CardInput.cvvNumbers).orNull
                .described("Four digits on American Express cards, three on the others; the wrong length for the card's brand is a 409."),
            "name": Schema.string.orNull,
            "address": Schema([
                "type": ["object", "null"],
                "properties": .object(
                    Dictionary(
                        uniqueKeysWithValues: CardInput.Address.fields.map { field in
                            (
                                field,
                                field == "country_code"
                                    ? Schema.matching(CardInput.countryPattern).orNull.json
                                    : Schema([
                                        "type": ["string", "integer", "null"], "minimum": .number(-Double(JSON.largestExactInteger)),
                                        "maximum": .number(Double(JSON.largestExactInteger)),
                                    ]).described("A string, or an integer kept as its digits.").json
                            )
                        })),
            ]),
        ], optional: ["cvv", "name", "address"], open: true
    )
    .described("A number that fails the Luhn check, of no known brand, or with a security code of the wrong length is a 409 card-not-validated.")

    static let document = APIDocument(
        title: "vault", summary: "Tokenizes card numbers, keeps them encrypted, and is the only service that talks to the card processor.",
        description: "Internal: only the services each route names may call it. Unknown keys in a body are ignored.",
        security: .serviceCredential,
        operations: [
            .init(
                .post, "/cards", "Validates, verifies with the processor and tokenizes a card.", request: newCard, parameters: [tenant],
                responses: ["201": "Card"]),
            .init(.get, "/cards/{id}", "A card, without its number.", parameters: [tenant], responses: ["200": "Card"]),
            .init(
                .delete, "/cards/{id}", "Erases a card's number; the card stays readable and is never charged again.",
                parameters: [tenant], responses: ["204": nil]),
            .init(
                .post, "/authorizations", "Asks the processor to approve a charge on a card.",
                description: "A charge the processor approves for less than asked is reversed at once and answered as declined.",
                request: .object(
                    [
                        "card_id": Schema(["type": "string", "minLength": 1]), "amount": .integer(AuthorizationInput.amounts),
                        "currency": Schema(["type": "string", "enum": .array(ProcessorClient.currencyCodes.keys.sorted().map(JSON.string))]),
                        "order_id": .matching(AuthorizationInput.orderPattern), "capture": .boolean,
                        "statement_name": Schema.string.orNull.described("Letters, digits, spaces and `*.-` are kept, up to 25."),
                    ],
                    optional: ["statement_name"], open: true),
                parameters: [tenant],
                responses: [
                    "201": .object([
                        "id": .string, "order_id": .string, "status": .oneOf("approved", "declined"), "amount": .integer,
                        "currency": .string, "response_code": .string, "message": .string,
                    ])
                ]),
            .init(
                .post, "/authorizations/{id}/captures", "Captures an approved hold; `amount` defaults to the hold's.",
                request: .object(["amount": Schema.integer(AuthorizationInput.amounts).orNull], optional: ["amount"], open: true),
                parameters: [tenant], responses: ["201": settlement]),
            .init(
                .post, "/authorizations/{id}/reversals", "Voids an approval.", request: .object([:], open: true), parameters: [tenant],
                responses: ["201": settlement]),
            .init(
                .post, "/authorizations/{id}/refunds", "Refunds part of a captured charge.",
                request: .object(
                    [
                        "amount": .integer(AuthorizationInput.amounts),
                        "reference": Schema(["type": "string", "minLength": 1]).described("The refund's own transaction number."),
                    ],
                    open: true),
                parameters: [tenant], responses: ["201": settlement]),
        ],
        schemas: [
            "Card": .object([
                "id": .string, "fingerprint": .string, "bin": .string, "last_four": .string,
                "brand": .oneOf("Visa", "MasterCard", "American Express", "Discover"),
                "expiration_month": .integer, "expiration_year": .integer, "cvv_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "name": Schema.string.orNull, "address": "Address",
                "avs_street_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "avs_postal_match": Schema.oneOf("yes", "no", "unsupported").orNull,
                "bank_name": .string, "created_at": .string,
            ]),
            "Address": .object([
                "line1": Schema.string.orNull, "line2": Schema.string.orNull, "city": Schema.string.orNull,
                "state": Schema.string.orNull, "postal_code": Schema.string.orNull, "country_code": Schema.string.orNull,
            ]),
        ], errors: .balanced)
}
