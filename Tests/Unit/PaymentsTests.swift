import Foundation
import GRDB
import Harness
import ServiceKit
import Testing
@testable import Payments

@Suite struct PaymentsTests {
    static let vaultCard: JSON = [
        "id": "CCvault", "last_four": "1111", "brand": "Visa", "fingerprint": "f00d", "bin": "411111",
        "expiration_month": 12, "expiration_year": 2016, "cvv_match": "yes", "name": nil,
        "created_at": "2016-01-01T00:00:00.000000Z",
    ]

    static func fraudCheck(decision: String, csc: String, score: Int = 10) -> JSON {
        ["id": "FC1", "score": .number(Double(score)), "decision": .string(decision), "csc_check": .string(csc), "reasons": []]
    }

    /// Payments alone, with vault and fraud answered by stubs.
    func payments(fraud: JSON) throws -> (Isolated, PaymentsService) {
        let transport = Isolated(stubs: [
            .vault: Isolated.answer(.ok, Self.vaultCard),
            .fraud: Isolated.answer(.created, fraud),
        ])
        let service = try PaymentsService(environment: transport.environment)
        transport.local.register(service)
        return (transport, service)
    }

    @Test(arguments: [
        ("accept", "pass", "succeeded", nil), ("accept", "fail", "failed", "csc-check-failed"),
        ("review", "pass", "pending", nil), ("review", "fail", "failed", "csc-check-failed"),
        ("reject", "pass", "failed", "high-risk"), ("accept", "unavailable", "succeeded", nil),
    ] as [(String, String, String, String?)])
    func decidesOnFraudsVerdict(decision: String, csc: String, status: String, code: String?) async throws {
        let (transport, service) = try payments(fraud: Self.fraudCheck(decision: decision, csc: csc))
        let response = try await transport.client(.payments).post("/cards/CCvault/debits", ["amount": 500])
        let debit = try #require(response.json)["debits"][0]
        #expect(debit["status"].string == status)
        #expect(debit["failure_reason_code"].string == code)
        let (entries, imbalance) = try await service.database.read { db in
            (try LedgerEntry.fetchAll(db), try Ledger.imbalance(in: db))
        }
        #expect(imbalance == 0)
        #expect(entries.count == (status == "succeeded" ? 2 : 0), "money moves only for a succeeded debit")
    }

    @Test func postsASucceededDebitFromTheCardToEscrow() async throws {
        let (transport, service) = try payments(fraud: Self.fraudCheck(decision: "accept", csc: "pass"))
        for amount in [500, 700] {
            _ = try await transport.client(.payments).post("/cards/CCvault/debits", ["amount": .number(Double(amount))])
        }
        let (escrow, card, imbalance) = try await service.database.read { db in
            (try Ledger.balance(of: Ledger.escrow, in: db), try Ledger.balance(of: Ledger.account(card: "CCvault"), in: db),
             try Ledger.imbalance(in: db))
        }
        #expect(escrow == 1200)
        #expect(card == -1200)
        #expect(imbalance == 0)
    }

    @Test func refusesToGuessWhenFraudsAnswerDrifts() async throws {
        let drifted = Self.fraudCheck(decision: "accept", csc: "pass").renamingKey("csc_check", to: "security_code_check")
        let (transport, service) = try payments(fraud: drifted)
        let response = try await transport.client(.payments).post("/cards/CCvault/debits", ["amount": 500])
        #expect(response.status == .badGateway)
        #expect(response.json?["errors"][0]["extras"]["likely_renames"] == ["security_code_check"])
        #expect(try await service.database.read { try Debit.fetchCount($0) } == 0)
    }

    @Test func passesOnVaultsComplaintAboutTheCard() async throws {
        let complaint: JSON = ["errors": [["status": "Bad Request", "category_code": "invalid-field", "description": "cvv: must be 3 or 4 digits"]]]
        let transport = Isolated(stubs: [.vault: Isolated.answer(.badRequest, complaint)])
        transport.local.register(try PaymentsService(environment: transport.environment))
        let response = try await transport.client(.payments).post("/cards", ["number": "4111111111111111"])
        #expect(response.status == .badRequest)
        #expect(response.json == complaint)
    }

    @Test func reportsAFailingPeerAsABadGateway() async throws {
        let transport = Isolated(stubs: [.vault: Isolated.answer(.internalServerError, ["oops": true])])
        transport.local.register(try PaymentsService(environment: transport.environment))
        let response = try await transport.client(.payments).post("/cards/CCvault/debits", ["amount": 500])
        #expect(response.status == .badGateway)
        #expect(response.json?["errors"][0]["category_code"] == "upstream-failure")
    }

    @Test func pagesDebitsNewestFirst() async throws {
        let (transport, _) = try payments(fraud: Self.fraudCheck(decision: "accept", csc: "pass"))
        var ids: [String] = []
        for amount in 1...5 {
            let debit = try #require(try await transport.client(.payments).post("/cards/CCvault/debits", ["amount": .number(Double(amount))]).json)
            ids.append(debit["debits"][0]["id"].string ?? "")
        }
        let page = try #require(try await transport.client(.payments).get("/debits?limit=2&offset=2").json)
        #expect(page["debits"].array?.map { $0["id"].string ?? "" } == [ids[2], ids[1]])
        #expect(page["meta"] == [
            "limit": 2, "offset": 2, "total": 5, "href": "/debits?limit=2&offset=2", "first": "/debits?limit=2&offset=0",
            "last": "/debits?limit=2&offset=4", "next": "/debits?limit=2&offset=4", "previous": "/debits?limit=2&offset=0",
        ])
    }

    @Test(arguments: [
        (["amount": 1] as JSON, nil), (["amount": "25"] as JSON, nil), (["amount": 2_147_483_647] as JSON, nil),
        (["amount": 2_147_483_648] as JSON, "amount"), (["amount": 1.5] as JSON, "amount"), (["amount": -1] as JSON, "amount"),
        (["amount": 5, "currency": "usd"] as JSON, nil), (["amount": 5, "currency": "GBP"] as JSON, "currency"),
        (["amount": 5, "meta": ["k": 1]] as JSON, "meta.k"), (["amount": 5, "meta": "x"] as JSON, "meta"),
        (["amount": 5, "description": 7] as JSON, "description"),
        (["amount": 5, "appears_on_statement_as": "BAL*example.com"] as JSON, nil),
        (["amount": 5, "appears_on_statement_as": "bad_chars!"] as JSON, "appears_on_statement_as"),
    ] as [(JSON, String?)])
    func validatesDebitInput(body: JSON, invalidField: String?) {
        do {
            let input = try DebitInput(body)
            #expect(invalidField == nil, "accepted \(input)")
        } catch {
            #expect(error.detail.hasPrefix("\(invalidField ?? "-"):"), "\(error)")
        }
    }
}
