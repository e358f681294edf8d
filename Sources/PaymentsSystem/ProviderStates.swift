import Harness
import HTTPTypes
import ServiceKit

extension ProviderState {
    /// The states Pact interactions with the payments system assume, made through the services' APIs.
    static let payments = [storedCard, merchantWithDebit]

    /// Vault holds a card of the tenant the call names, as when payments reads a card it stored earlier:
    /// tokenized through vault's own API, as payments (the only service vault lets in).
    static let storedCard = ProviderState("a card is stored", provider: .vault, routes: ["GET /cards/{id}"], provides: ["id"]) { params, client in
        var headers = HTTPFields()
        headers[.tenant] = params[HTTPField.Name.tenant.canonicalName]
        let asPayments = ServiceClient(caller: .payments, transport: client.transport)
        let reply = try await StackClient(service: .vault, client: asPayments).post("/cards", fullCard, headers: headers)
        guard reply.status == .created, let id = reply.json?["id"].string else {
            throw HarnessError("POST /vault/cards answered \(reply.status.code): \(reply.bodyText.prefix(200))")
        }
        return ["id": id]
    }

    /// A merchant with a marketplace and one debit, signed in with its own key.
    static let merchantWithDebit = ProviderState("a merchant has a debit", provider: .payments, routes: ["GET /marketplaces", "GET /debits"],
                                                provides: ["authorization"]) { _, client in
        let merchant = try await Merchant.open(payments: StackClient(service: .payments, client: client),
                                               dashboard: StackClient(service: .dashboard, client: client))
        _ = try await merchant.payments.post("/debits", ["amount": 500, "source": fullCard]).resource("debits", status: 201)
        return ["authorization": merchant.payments.headers[.authorization] ?? ""]
    }

    /// A test card with every optional field, so every field a consumer may read comes.
    static let fullCard: JSON = [
        "number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123", "name": "Provider State",
        "address": ["line1": "965 Mission St", "city": "San Francisco", "state": "CA", "postal_code": "94103", "country_code": "US"],
    ]
}
