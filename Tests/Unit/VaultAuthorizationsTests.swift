@preconcurrency import Crypto
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import Vault

/// Vault alone with the processor's sandbox: authorizing, settling and refusing what it should.
@Suite struct VaultAuthorizationsTests {
    static let tenant: HTTPFields = [.tenant: "MP1"]

    /// Vault with the sandbox, and a card tokenized for MP1.
    func vault() async throws -> (StackClient, VaultService, String) {
        let (transport, service) = try Isolated.vault()
        let client = transport.client(.vault)
        let card = try await client.post(
            "/cards",
            [
                "number": "4111111111111111", "expiration_month": 1, "expiration_year": 2030, "cvv": "123",
                "address": ["postal_code": "94301", "line1": "965 Mission St"],
            ], headers: Self.tenant)
        return (client, service, try #require(card.json?["id"].string, "\(card.bodyText)"))
    }

    func authorize(_ client: StackClient, _ card: String, amount: Int, order: String = "W1", capture: Bool = true) async throws -> ServiceResponse {
        try await client.post(
            "/authorizations",
            [
                "card_id": .string(card), "amount": .number(Double(amount)), "currency": "USD",
                "order_id": .string(order), "capture": .bool(capture), "statement_name": "BAL*Shop!",
            ],
            headers: Self.tenant)
    }

    @Test func relaysTheProcessorsAnswerAndKeepsEachApproval() async throws {
        let (client, service, card) = try await vault()
        let approved = try await authorize(client, card, amount: 1000)
        #expect(approved.status == .created)
        #expect(approved.json?["status"] == "approved" && approved.json?["response_code"] == "00" && approved.json?["amount"] == 1000)
        let declined = try await authorize(client, card, amount: 5101, order: "W2")
        #expect(declined.json?["status"] == "declined" && declined.json?["response_code"] == "51" && declined.json?["amount"] == 0)
        let partial = try await authorize(client, card, amount: 1010, order: "W3")
        #expect(partial.json?["status"] == "declined" && partial.json?["message"] == "Partial Approval: 505 of 1010 approved, reversed")
        let kept = try await service.database.read { try Authorization.fetchAll($0) }
        #expect(kept.map(\.orderId) == ["W1"] && kept.first?.tenant == "MP1", "only approvals are kept")

        let error = try await authorize(client, card, amount: 9902, order: "W4")
        #expect(error.status == .badGateway && error.json?["errors"][0]["category_code"] == "processor-error")
        #expect(error.json?["errors"][0]["description"].string?.contains("20000 System error") == true)
        #expect(try await authorize(client, "CCnothing", amount: 100).status == .notFound)
        let elsewhere = try await client.post(
            "/authorizations",
            [
                "card_id": .string(card), "amount": 100, "currency": "USD", "order_id": "W5",
                "capture": true,
            ], headers: [.tenant: "MP2"])
        #expect(elsewhere.status == .notFound, "another marketplace's card")
    }

    @Test func erasesADeletedCardsNumberAndNeverChargesItAgain() async throws {
        let (client, service, card) = try await vault()
        #expect(try await client.delete("/cards/\(card)", headers: [.tenant: "MP2"]).status == .notFound, "another marketplace's card")
        #expect(try await client.delete("/cards/\(card)", headers: Self.tenant).status == .noContent)
        let stored = try #require(try await service.database.read { try Card.fetchOne($0, key: card) })
        #expect(stored.ciphertext.isEmpty && stored.deletedAt != nil, "the number is gone")
        #expect(try await client.get("/cards/\(card)", headers: Self.tenant).status == .ok, "what is left of it is still readable")
        let refused = try await authorize(client, card, amount: 100)
        #expect(refused.status == .conflict && refused.json?["errors"][0]["category_code"] == "card-not-valid", "\(refused.bodyText)")
        #expect(try await client.delete("/cards/\(card)", headers: Self.tenant).status == .noContent, "deleting twice is still deleted")
    }

    @Test func capturesReversesAndRefundsAnApprovalByItsID() async throws {
        let (client, _, card) = try await vault()
        let hold = try #require(try await authorize(client, card, amount: 900, order: "HL1", capture: false).json?["id"].string)
        let captured = try await client.post("/authorizations/\(hold)/captures", ["amount": 700], headers: Self.tenant)
        #expect(captured.status == .created && captured.json?["status"] == "captured" && captured.json?["amount"] == 700)
        let refund = try await client.post("/authorizations/\(hold)/refunds", ["amount": 200, "reference": "RF1"], headers: Self.tenant)
        #expect(refund.status == .created && refund.json?["status"] == "refunded")
        #expect(refund.head.headerFields[.location]?.hasPrefix("/authorizations/\(hold)/refunds/") == true)
        let tooMuch = try await client.post("/authorizations/\(hold)/refunds", ["amount": 600, "reference": "RF2"], headers: Self.tenant)
        #expect(
            tooMuch.status == .conflict && tooMuch.json?["errors"][0]["category_code"] == "transaction-state"
                && tooMuch.json?["errors"][0]["extras"]["proc_status"] == "10021", "what the transaction's state refuses is the caller's to resolve")

        let other = try #require(try await authorize(client, card, amount: 300, order: "HL2", capture: false).json?["id"].string)
        let reversed = try await client.post("/authorizations/\(other)/reversals", [:], headers: Self.tenant)
        #expect(reversed.status == .created && reversed.json?["status"] == "reversed")
        let whole = try #require(try await authorize(client, card, amount: 400, order: "HL3", capture: false).json?["id"].string)
        #expect(
            try await client.post("/authorizations/\(whole)/captures", [:], headers: Self.tenant).json?["amount"] == 400,
            "a capture without an amount takes all that was approved")
        #expect(try await client.post("/authorizations/\(whole)/captures", [:], headers: [.tenant: "MP2"]).status == .notFound)
    }

    @Test(arguments: [
        (["amount": 100, "currency": "USD", "order_id": "W1", "capture": true] as JSON, "card_id"),
        (["card_id": "CC1", "amount": 0, "currency": "USD", "order_id": "W1", "capture": true] as JSON, "amount"),
        (["card_id": "CC1", "amount": 1.5, "currency": "USD", "order_id": "W1", "capture": true] as JSON, "amount"),
        (["card_id": "CC1", "amount": 100, "currency": "EUR", "order_id": "W1", "capture": true] as JSON, "currency"),
        (["card_id": "CC1", "amount": 100, "currency": "USD", "order_id": "W 1", "capture": true] as JSON, "order_id"),
        (["card_id": "CC1", "amount": 100, "currency": "USD", "order_id": "W1", "capture": "yes"] as JSON, "capture"),
        (["card_id": "CC1", "amount": 100, "currency": "USD", "order_id": "W1", "capture": true, "statement_name": 5] as JSON, "statement_name"),
    ])
    func refusesAnAuthorizationRequestNamingTheField(body: JSON, field: String) {
        #expect { try AuthorizationInput(body) } throws: { error in
            (error as? ServiceError)?.detail.hasPrefix("\(field):") == true && (error as? ServiceError)?.status == .badRequest
        }
    }

    @Test func refusesMalformedSettlements() async throws {
        let (client, _, card) = try await vault()
        let id = try #require(try await authorize(client, card, amount: 900, capture: false).json?["id"].string)
        #expect(
            try await AuthorizationInput([
                "card_id": "CC1", "amount": 100, "currency": "USD", "order_id": "W1", "capture": false,
                "statement_name": "BAL*Shop!",
            ]).statementName == "BAL*Shop", "characters the processor refuses are dropped")
        #expect(try await client.send(.post, "/authorizations/\(id)/captures", raw: "[1]", headers: Self.tenant).status == .badRequest)
        #expect(try await client.post("/authorizations/\(id)/captures", ["amount": -5], headers: Self.tenant).status == .badRequest)
        #expect(try await client.post("/authorizations/\(id)/refunds", ["reference": "RF1"], headers: Self.tenant).status == .badRequest)
        #expect(try await client.post("/authorizations/\(id)/refunds", ["amount": 100], headers: Self.tenant).status == .badRequest)
        #expect(try await client.post("/authorizations/AAAA/reversals", [:], headers: Self.tenant).status == .notFound)
        #expect(try await client.send(.post, "/authorizations", raw: "[]", headers: Self.tenant).status == .badRequest)
    }

    @Test func refusesASecurityCodeOfTheWrongLengthForTheBrand() async throws {
        let (transport, _) = try Isolated.vault()
        let amex = try await transport.client(.vault).post(
            "/cards",
            [
                "number": "378282246310005", "expiration_month": 1, "expiration_year": 2030,
                "cvv": "123",
            ])
        #expect(
            amex.status == .conflict && amex.json?["errors"][0]["category_code"] == "card-not-validated"
                && amex.json?["errors"][0]["description"].string?.hasPrefix("cvv: must be 4 digits on American Express cards") == true,
            "\(amex.bodyText)")
    }

    @Test func failsTokenizingWhenTheProcessorCannotBeReached() async throws {
        let transport = try Isolated(stubs: ["processor": Isolated.answer(.ok, ["not": "xml"])])
        transport.local.register(try VaultService(environment: transport.environment, key: SymmetricKey(size: .bits256)))
        let card = try await transport.client(.vault).post("/cards", ["number": "4111111111111111", "expiration_month": 1, "expiration_year": 2030])
        #expect(card.status == .badGateway && card.json?["errors"][0]["category_code"] == "processor-error", "\(card.bodyText)")
    }
}
