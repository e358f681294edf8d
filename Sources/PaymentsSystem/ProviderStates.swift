import HTTPTypes
import Harness
import ServiceKit

extension ProviderState {
    /// The states Pact interactions with the payments system assume, made through the services' APIs.
    static let payments = [cardToTokenize, storedCard, approvedHold, approvedCharge, merchantWithDebit]

    /// A card payments may tokenize: recorded calls keep no card number or security code (they are
    /// masked), so the verifier gets the provider's own test card.
    static let cardToTokenize = ProviderState(
        "a card is to be tokenized", provider: .vault, routes: ["POST /cards"],
        provides: ["number", "cvv"]
    ) { _, _ in
        ["number": fullCard["number"].string!, "cvv": fullCard["cvv"].string!]
    }

    /// Vault holds a card of the tenant the call names, as when payments reads or charges a card it
    /// stored earlier: tokenized through vault's own API, as payments (the only service vault lets in).
    static let storedCard = ProviderState(
        "a card is stored", provider: .vault, routes: ["GET /cards/{id}", "POST /authorizations"],
        provides: ["id", "card_id"]
    ) { params, transport in
        let id = try await tokenize(params, transport)
        return ["id": id, "card_id": id]
    }

    /// The processor approved a hold (`A`) that payments may capture or void.
    static let approvedHold = ProviderState(
        "a hold is approved", provider: .vault,
        routes: ["POST /authorizations/{id}/captures", "POST /authorizations/{id}/reversals"],
        provides: ["id"]
    ) { params, transport in
        ["id": try await authorize(params, transport, capture: false)]
    }

    /// The processor approved and captured a charge (`AC`) that payments may refund.
    static let approvedCharge = ProviderState(
        "a charge is approved", provider: .vault, routes: ["POST /authorizations/{id}/refunds"],
        provides: ["id"]
    ) { params, transport in
        ["id": try await authorize(params, transport, capture: true)]
    }

    /// Vault as payments calls it, for the tenant the recorded call names.
    static func vault(_ params: [String: String], _ transport: any Transport) -> (StackClient, HTTPFields) {
        var headers = HTTPFields()
        headers[.tenant] = params[HTTPField.Name.tenant.canonicalName]
        return (StackClient(service: .vault, transport: transport, caller: .payments), headers)
    }

    static func tokenize(_ params: [String: String], _ transport: any Transport) async throws -> String {
        let (vault, headers) = vault(params, transport)
        let reply = try await vault.post("/cards", fullCard, headers: headers)
        guard reply.status == .created, let id = reply.json?["id"].string else {
            throw HarnessError("POST /vault/cards answered \(reply.status.code): \(reply.bodyText.prefix(200))")
        }
        return id
    }

    /// An approval of more than any recorded capture or refund asks for, under a fresh order id.
    static func authorize(_ params: [String: String], _ transport: any Transport, capture: Bool) async throws -> String {
        let (vault, headers) = vault(params, transport)
        let body: JSON = [
            "card_id": .string(try await tokenize(params, transport)), "amount": 10_000_000, "currency": "USD",
            "order_id": .string("PS" + IDs.random(12)), "capture": .bool(capture),
        ]
        let reply = try await vault.post("/authorizations", body, headers: headers)
        guard reply.status == .created, reply.json?["status"] == "approved", let id = reply.json?["id"].string else {
            throw HarnessError("POST /vault/authorizations answered \(reply.status.code): \(reply.bodyText.prefix(200))")
        }
        return id
    }

    /// A merchant with a marketplace and one debit, signed in with its own key.
    static let merchantWithDebit = ProviderState(
        "a merchant has a debit", provider: .payments, routes: ["GET /marketplaces", "GET /debits"],
        provides: ["authorization"]
    ) { _, transport in
        let merchant = try await Merchant.open(
            payments: StackClient(service: .payments, transport: transport),
            dashboard: StackClient(service: .dashboard, transport: transport))
        _ = try await merchant.payments.post("/debits", ["amount": 500, "source": fullCard]).resource("debits", status: 201)
        return ["authorization": merchant.payments.headers[.authorization] ?? ""]
    }

    /// A test card with every optional field, so every field a consumer may read comes.
    static let fullCard: JSON = [
        "number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123", "name": "Provider State",
        "address": ["line1": "965 Mission St", "city": "San Francisco", "state": "CA", "postal_code": "94103", "country_code": "US"],
    ]
}
