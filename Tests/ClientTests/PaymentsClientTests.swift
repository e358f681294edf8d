import Foundation
import HTTPTypes
import Harness
import NIOCore
import OpenAPIRuntime
import PaymentsClient
import PaymentsSystem
import ServiceKit
import Testing

/// The generated Swift client's own suite, written as a merchant integrating with it would. In memory
/// by default; `HARNESS_STAGING_URL` aims it at a served stack (its own CI job), like the acceptance suites.
@Suite struct PaymentsClientTests {
    /// The client's requests, carried by the stack's transport: in memory, over loopback or to staging.
    struct StackTransport: ClientTransport {
        let payments: StackClient

        func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
            var bytes: ByteBuffer?
            if let body { bytes = ByteBuffer(bytes: try await [UInt8](collecting: body, upTo: 1 << 20)) }
            let response = try await payments.send(request.method, request.path ?? "/", body: bytes, headers: request.headerFields)
            return (response.head, HTTPBody(Array(buffer: response.body)))
        }
    }

    static let mode = HarnessConfiguration.suite.mode

    /// A merchant's client: a key made through the client itself, then a client signed in with it.
    func merchant(_ stack: Stack) async throws -> Client {
        let anonymous = Client(serverURL: URL(string: "http://payments")!, transport: StackTransport(payments: stack.payments))
        let secret = try #require(try await anonymous.createApiKeys().created.body.json.apiKeys.first?.secret)
        let client = Client(serverURL: URL(string: "http://payments")!, transport: StackTransport(payments: stack.payments.authenticated(as: secret)))
        _ = try await client.createMarketplaces().created.body.json
        return client
    }

    static func visa(_ number: String = "4111111111111111") -> Components.Schemas.NewCard {
        .init(address: .init(postalCode: "94301"), cvv: "123", expirationMonth: 12, expirationYear: 2030, name: "Client Suite", number: number)
    }

    func tokenize(_ client: Client, _ card: Components.Schemas.NewCard = visa()) async throws -> Components.Schemas.Card {
        let created = try await client.createCards(body: .json(.NewCard(card))).created.body.json
        return try #require(created.value1?.cards.first, "a merchant's tokenizing answers the whole card")
    }

    @Test func tokenizesAndReadsACard() async throws {
        try await withStack(.payments, Self.mode, configuration: .suite) { stack in
            let client = try await merchant(stack)
            let card = try await tokenize(client)
            #expect(card.number == "xxxxxxxxxxxx1111" && card.cvvMatch == .yes && card.brand == .visa && card.avsPostalMatch == .yes)
            let read = try await client.getCardsById(path: .init(id: card.id)).ok.body.json.cards.first
            #expect(read?.id == card.id && read?.fingerprint == card.fingerprint)
        }
    }

    @Test func debitsRefundsAndLists() async throws {
        try await withStack(.payments, Self.mode, configuration: .suite) { stack in
            let client = try await merchant(stack)
            let card = try await tokenize(client)
            let debit = try #require(
                try await client.createCardsByIdDebits(path: .init(id: card.id), body: .json(.Charge(.init(amount: 5000, description: "Order 5"))))
                    .created.body.json.debits.first)
            #expect(debit.status == .succeeded && debit.amount == 5000 && debit.description == "Order 5")
            let shipped = try #require(
                try await client.updateDebitsById(path: .init(id: debit.id), body: .json(.DebitUpdate(.init(description: "Shipped"))))
                    .ok.body.json.debits.first)
            #expect(shipped.description == "Shipped" && shipped.amount == 5000)
            let refund = try #require(
                try await client.createDebitsByIdRefunds(path: .init(id: debit.id), body: .json(.NewRefund(.init(amount: 1500))))
                    .created.body.json.refunds.first)
            #expect(refund.amount == 1500 && refund.links.debit == debit.id)
            let page = try await client.listDebits().ok.body.json
            #expect(page.meta?.total == 1 && page.debits.map(\.id) == [debit.id])
            let marketplace = try #require(try await client.listMarketplaces().ok.body.json.marketplaces.first)
            #expect(marketplace.inEscrow == 3500)
        }
    }

    @Test func holdsCapturesAndVoids() async throws {
        try await withStack(.payments, Self.mode, configuration: .suite) { stack in
            let client = try await merchant(stack)
            let card = try await tokenize(client)
            let hold = try #require(
                try await client.createCardsByIdCardHolds(path: .init(id: card.id), body: .json(.Charge(.init(amount: 3000))))
                    .created.body.json.cardHolds.first)
            let captured = try #require(
                try await client.createCardHoldsByIdDebits(path: .init(id: hold.id), body: .json(.Capture(.init(amount: 2000))))
                    .created.body.json.debits.first)
            #expect(captured.amount == 2000 && captured.links.cardHold == hold.id)
            let other = try #require(
                try await client.createCardsByIdCardHolds(path: .init(id: card.id), body: .json(.Charge(.init(amount: 700))))
                    .created.body.json.cardHolds.first)
            let voided = try #require(try await client.deleteCardHoldsById(path: .init(id: other.id)).ok.body.json.cardHolds.first)
            #expect(voided.voidedAt != nil)
        }
    }

    @Test func customersOwnTheirSourceCard() async throws {
        try await withStack(.payments, Self.mode, configuration: .suite) { stack in
            let client = try await merchant(stack)
            let card = try await tokenize(client)
            let customer = try #require(
                try await client.createCustomers(
                    body: .json(
                        .CustomerFields(
                            .init(
                                email: "ada@example.com",
                                name: "Ada Lovelace", source: "/cards/\(card.id)")))
                )
                .created.body.json.customers.first)
            #expect(customer.links.source == card.id && customer.merchantStatus == .noMatch)
            let cards = try await client.listCustomersByIdCards(path: .init(id: customer.id)).ok.body.json.cards
            #expect(cards.map(\.id) == [card.id])
        }
    }

    @Test func reportsErrorsInBalancedsEnvelope() async throws {
        try await withStack(.payments, Self.mode, configuration: .suite) { stack in
            let client = try await merchant(stack)
            guard case .clientError(let status, let error) = try await client.createCards(body: .json(.NewCard(Self.visa("4111111111111112")))) else {
                Issue.record("a card failing the Luhn check was accepted")
                return
            }
            #expect(try status == 409 && error.body.json.errors.first?.categoryCode == "card-not-validated")
            let declining = try await tokenize(client, Self.visa("4444444444444448"))
            guard
                case .clientError(402, let declined) = try await client.createCardsByIdDebits(
                    path: .init(id: declining.id),
                    body: .json(.Charge(.init(amount: 500))))
            else {
                Issue.record("a declined card's debit was not a 402")
                return
            }
            #expect(try declined.body.json.errors.first?.categoryCode == "card-declined")
            guard case .clientError(404, _) = try await client.getDebitsById(path: .init(id: "WDnothing")) else {
                Issue.record("an unknown debit was found")
                return
            }
        }
    }
}
