import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `POST /cards` tokenizes; `GET /cards/{id}` describes a token. The number goes in and never out.
struct CardsController {
    let database: ServiceDatabase
    let cipher: CardCipher
    let processor: ProcessorClient
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/cards") { request, context in try await tokenize(request, context) }
        router.get("/cards/{id}") { request, context in
            try await show(context.parameters.require("id"), tenant: request.headers[.tenant])
        }
        router.delete("/cards/{id}") { request, context in
            try await delete(context.parameters.require("id"), tenant: request.headers[.tenant])
        }
    }

    /// Forgets a card's number: the ciphertext is overwritten on disk (`secure_delete`), not just freed.
    /// What is left describes the card, and no charge can be made on it.
    func delete(_ id: String, tenant: String?) async throws -> Response {
        var card = try await Card.visible(id, tenant: tenant, in: database)
        guard card.deletedAt == nil else { return Response(status: .noContent) }
        card.ciphertext = Data()
        card.deletedAt = clock()
        try await database.write { [card] db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try card.update(db)
        }
        return Response(status: .noContent)
    }

    /// Validates the card, verifies it with the processor (an authorization of 0 that checks the
    /// security code and the address, and charges nothing), and stores it encrypted without the code.
    func tokenize(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let input = try CardInput(try await request.json(context: context))
        guard let brand = CardNetwork.brand(of: input.number) else {
            throw ServiceError(
                .conflict, "card-not-validated", "number: is not a Visa, MasterCard, American Express or Discover card.",
                categoryType: "banking", extras: ["number": "unsupported card brand"])
        }
        if let cvv = input.cvv, cvv.count != CardNetwork.securityCodeLength(brand: brand) {
            let problem = "must be \(CardNetwork.securityCodeLength(brand: brand)) digits on \(brand) cards"
            throw ServiceError(.conflict, "card-not-validated", "cvv: \(problem)", categoryType: "banking", extras: ["cvv": .string(problem)])
        }
        let id = IDs.make("CC")
        let data = ProcessorClient.CardData(input, brand: brand)
        let verified = try await processor.authorize(
            data, amount: 0, currency: "USD", orderID: Self.verificationOrder(id), capture: false,
            cvv: input.cvv)
        let avs = CardNetwork.addressMatch(verified.address, streetSent: data.street != nil)
        let card = Card(
            id: id, ciphertext: try cipher.encrypt(input.number, cardID: id), fingerprint: cipher.fingerprint(input.number),
            bin: String(input.number.prefix(6)), lastFour: String(input.number.suffix(4)), brand: brand,
            expirationMonth: input.expirationMonth, expirationYear: input.expirationYear,
            cvvMatch: CardNetwork.securityCodeMatch(verified.securityCode), name: input.name,
            address: String(buffer: input.address.json.encoded()), avsStreetMatch: avs.street, avsPostalMatch: avs.postal,
            tenant: request.headers[.tenant], createdAt: clock(), deletedAt: nil)
        try await database.write { try card.insert($0) }
        context.logger.info("tokenized card", metadata: ["card": "\(id)", "last_four": "\(card.lastFour)"])
        return .json(card.json, status: .created)
    }

    /// The processor's order id for the verification of card `id`: `V` and the id's last 21 characters.
    static func verificationOrder(_ id: String) -> String { "V" + id.suffix(21) }

    /// A card is visible to the marketplace that tokenized it, and a card tokenized without a key to any.
    func show(_ id: String, tenant: String?) async throws -> Response {
        .json(try await Card.visible(id, tenant: tenant, in: database).json)
    }
}

extension Card {
    static func visible(_ id: String, tenant: String?, in database: ServiceDatabase) async throws -> Card {
        guard let card = try await database.read({ try Card.fetchOne($0, key: id) }),
            card.tenant == nil || card.tenant == tenant
        else { throw ServiceError.notFound("Card \(id)") }
        return card
    }
}

extension ProcessorClient.CardData {
    /// What the processor is sent of a card: address fields it would refuse are left out, not sent.
    init(_ input: CardInput, brand: String) {
        self.init(
            number: input.number, expiry: Self.expiry(month: input.expirationMonth, year: input.expirationYear), brand: brand,
            address: input.address.lines)
    }

    init(number: String, expiry: String, brand: String, address: [String: String]) {
        let postal = address["postal_code"].flatMap { code in
            code.count <= 10 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "-") } ? code : nil
        }
        let street = address["line1"].map { String($0.filter { !"%|^\\/".contains($0) }.prefix(30)) }
        self.init(
            number: number, expiry: expiry, brand: brand, postalCode: postal, street: postal == nil ? nil : street,
            country: address["country_code"].flatMap(CardNetwork.twoLetterCountry))
    }

    /// `MMYY`.
    static func expiry(month: Int, year: Int) -> String {
        (month < 10 ? "0" : "") + String(month) + String(String(year % 100 + 100).suffix(2))
    }
}
