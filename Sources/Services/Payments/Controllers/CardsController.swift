import Hummingbird
import ServiceKit

/// `POST /cards` tokenizes through vault; `GET /cards/{id}` describes a card. Payments never sees a
/// stored number: vault keeps it, payments keeps the token.
struct CardsController {
    let vault: VaultClient

    func addRoutes(to router: Router<ServiceContext>) {
        router.post("/cards") { request, context in
            let card = try await vault.tokenize(try await request.json(context: context))
            return Response.json(Envelope.single("cards", card.json, links: Envelope.cardLinks), status: .created)
        }
        router.get("/cards/{id}") { _, context in
            let card = try await vault.card(try context.parameters.require("id"))
            return Response.json(Envelope.single("cards", card.json, links: Envelope.cardLinks))
        }
    }
}

extension VaultCard {
    /// The card in Balanced's card model.
    var json: JSON {
        let cvvResult: JSON = switch cvvMatch {
        case "yes": "Match"
        case "no": "No Match"
        case "unsupported": "Not Processed"
        default: nil
        }
        let masked = String(repeating: "x", count: brand == "American Express" ? 11 : 12) + lastFour
        return [
            "id": .string(id), "href": .string("/cards/\(id)"), "created_at": .string(createdAt),
            "updated_at": .string(createdAt), "name": name.map(JSON.string) ?? nil, "number": .string(masked),
            "expiration_month": .number(Double(expirationMonth)), "expiration_year": .number(Double(expirationYear)),
            "cvv": cvvMatch == "yes" || cvvMatch == "no" ? "xxx" : nil,
            "cvv_match": cvvMatch.map(JSON.string) ?? nil, "cvv_result": cvvResult,
            "address": ["line1": nil, "line2": nil, "city": nil, "state": nil, "postal_code": nil, "country_code": nil],
            "avs_street_match": nil, "avs_postal_match": nil, "avs_result": nil,
            "fingerprint": .string(fingerprint), "brand": .string(brand), "is_verified": true,
            "can_debit": true, "can_credit": false, "type": "credit", "category": "other", "bank_name": "",
            "meta": [:], "links": ["customer": nil],
        ]
    }
}
