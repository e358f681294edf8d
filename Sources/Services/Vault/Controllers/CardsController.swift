import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `POST /cards` tokenizes; `GET /cards/{id}` describes a token. The number goes in and never out.
struct CardsController {
    let database: ServiceDatabase
    let cipher: CardCipher
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/cards") { request, context in try await tokenize(request, context) }
        router.get("/cards/{id}") { request, context in
            try await show(context.parameters.require("id"), tenant: request.headers[.tenant])
        }
    }

    func tokenize(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let input = try CardInput(try await request.json(context: context))
        guard let brand = Issuer.brand(of: input.number) else {
            throw ServiceError(.conflict, "card-not-validated", "number: is not a Visa, MasterCard, American Express or Discover card.",
                               categoryType: "banking", extras: ["number": "unsupported card brand"])
        }
        let id = IDs.make("CC")
        let avs = Issuer.avs(line1: input.address.lines["line1"], postalCode: input.address.lines["postal_code"])
        let card = Card(
            id: id, ciphertext: try cipher.encrypt(input.number, cardID: id), fingerprint: cipher.fingerprint(input.number),
            bin: String(input.number.prefix(6)), lastFour: String(input.number.suffix(4)), brand: brand,
            expirationMonth: input.expirationMonth, expirationYear: input.expirationYear,
            cvvMatch: Issuer.cvvMatch(number: input.number, cvv: input.cvv), name: input.name,
            address: String(buffer: input.address.json.encoded()), avsStreetMatch: avs.street, avsPostalMatch: avs.postal,
            authorization: Issuer.authorization(number: input.number), tenant: request.headers[.tenant], createdAt: clock())
        try await database.write { try card.insert($0) }
        context.logger.info("tokenized card", metadata: ["card": "\(id)", "last_four": "\(card.lastFour)"])
        return .json(card.json, status: .created)
    }

    /// A card is visible to the marketplace that tokenized it, and a card tokenized without a key to any.
    func show(_ id: String, tenant: String?) async throws -> Response {
        guard let card = try await database.read({ try Card.fetchOne($0, key: id) }),
              card.tenant == nil || card.tenant == tenant else { throw ServiceError.notFound("Card \(id)") }
        return .json(card.json)
    }
}
