import GRDB
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Authorize, capture, refund: money set aside, taken, and given back, never more than was taken.
@Suite struct HoldsAndRefundsTests {
    @Test(arguments: Modes.all)
    func holdsCapturesAndRefundsACard(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try await merchant.tokenize()
            let hold = try await merchant.hold(card, amount: 5000)
            #expect(hold["status"] == "succeeded")
            #expect(hold["voided_at"].isNull)
            #expect(hold["links"]["card"] == card["id"])
            #expect(hold["transaction_number"].string?.hasPrefix("HL") == true)
            let holdID = try #require(hold["id"].string)

            let capture = try await merchant.payments.post("/card_holds/\(holdID)/debits", ["amount": 3000])
            let debit = try expectStatus(capture, 201)["debits"][0]
            #expect(debit["amount"] == 3000)
            #expect(debit["status"] == "succeeded")
            #expect(debit["links"]["card_hold"].string == holdID)
            #expect(debit["links"]["source"] == card["id"])
            let captured = try expectStatus(try await merchant.payments.get("/card_holds/\(holdID)"), 200)["card_holds"][0]
            #expect(captured["links"]["debit"] == debit["id"])
            try expectError(try await merchant.payments.post("/card_holds/\(holdID)/debits", [:]), 409, "cannot-capture-authorization")
            try expectError(try await merchant.payments.delete("/card_holds/\(holdID)"), 409, "cannot-void-authorization")

            let debitID = try #require(debit["id"].string)
            let partial = try expectStatus(try await merchant.payments.post("/debits/\(debitID)/refunds", ["amount": 1000]), 201)
            #expect(partial["refunds"][0]["amount"] == 1000)
            #expect(partial["refunds"][0]["links"]["debit"].string == debitID)
            let description = try expectError(try await merchant.payments.post("/debits/\(debitID)/refunds", ["amount": 2001]), 400, "invalid-amount")
            #expect(description.hasPrefix("Refund amount cannot be greater than the amount of the original debit."))
            let rest = try expectStatus(try await merchant.payments.post("/debits/\(debitID)/refunds", [:]), 201)
            #expect(rest["refunds"][0]["amount"] == 2000, "a refund without an amount takes what is left")
            try expectError(try await merchant.payments.post("/debits/\(debitID)/refunds", [:]), 409, "debit-already-refunded")
            let refunds = try expectStatus(try await merchant.payments.get("/debits/\(debitID)/refunds"), 200)
            #expect(refunds["meta"]["total"] == 2)
            #expect(refunds["refunds"].array?.map { $0["amount"] } == [2000, 1000], "newest first")
        }
    }

    @Test(arguments: Modes.all)
    func voidsAHoldAndDropsItFromTheList(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try await merchant.tokenize()
            let kept = try await merchant.hold(card, amount: 100)
            let voided = try #require(try await merchant.hold(card, amount: 200)["id"].string)
            let response = try expectStatus(try await merchant.payments.delete("/card_holds/\(voided)"), 200)
            #expect(response["card_holds"][0]["voided_at"].string != nil)
            let list = try expectStatus(try await merchant.payments.get("/card_holds"), 200)
            #expect(list["card_holds"].array?.map { $0["id"] } == [kept["id"]])
            #expect(try expectStatus(try await merchant.payments.get("/card_holds/\(voided)"), 200)["card_holds"][0]["id"].string == voided)
            try expectError(try await merchant.payments.post("/card_holds/\(voided)/debits", [:]), 409, "cannot-capture-authorization")
        }
    }

    @Test(arguments: Modes.all)
    func declinesWhatTheIssuerDeclines(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try await merchant.tokenize(TestCard.declining)
            let id = try #require(card["id"].string)
            let debit = try await merchant.payments.post("/cards/\(id)/debits", ["amount": 1000])
            try expectError(debit, 402, "card-declined")
            #expect(debit.json?["debits"][0]["status"] == "failed")
            #expect(debit.json?["debits"][0]["failure_reason_code"] == "card-declined")
            try expectError(try await merchant.payments.post("/cards/\(id)/card_holds", ["amount": 1000]), 402, "card-declined")
            let failed = try #require(debit.json?["debits"][0]["id"].string)
            try expectError(try await merchant.payments.post("/debits/\(failed)/refunds", [:]), 409, "refund-invalid-debit-state")
        }
    }

    @Test(.disabled(if: Modes.atStaging, Comment(rawValue: Modes.inProcessOnly)), arguments: Modes.all)
    func keepsTheLedgerBalanced(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try await merchant.tokenize()
            let debit = try #require(try await merchant.debit(card, amount: 900)["id"].string)
            _ = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 400])
            let hold = try #require(try await merchant.hold(card, amount: 300)["id"].string)
            _ = try await merchant.payments.post("/card_holds/\(hold)/debits", [:])
            let (imbalance, escrow) = try await stack.database(.payments).read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT SUM(amount) FROM ledger_entry"),
                    try Int.fetchOne(db, sql: "SELECT SUM(amount) FROM ledger_entry WHERE account = 'marketplace:escrow'")
                )
            }
            #expect(imbalance == 0)
            #expect(escrow == 900 - 400 + 300)
        }
    }
}

/// A hold lasts seven days; after that it can be neither captured nor voided.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "moves the stack's clock, which \(Modes.inProcessOnly)")))
struct HoldExpiryTests {
    @Test(arguments: Modes.all)
    func refusesToCaptureOrVoidAnExpiredHold(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let hold = try await merchant.hold(try await merchant.tokenize(), amount: 5000)
            let holdID = try #require(hold["id"].string)
            try stack.clock().advance(by: 7 * 24 * 3600 + 1)
            let capture = try expectError(
                try await merchant.payments.post("/card_holds/\(holdID)/debits", [:]), 409,
                "cannot-capture-authorization")
            #expect(capture.contains("it expired at \(hold["expires_at"].string ?? "?")"), "\(capture)")
            try expectError(try await merchant.payments.delete("/card_holds/\(holdID)"), 409, "cannot-void-authorization")
            let debits = try expectStatus(try await merchant.payments.get("/card_holds/\(holdID)/debits"), 200)
            #expect(debits["meta"]["total"] == 0, "no money moved")
        }
    }
}
