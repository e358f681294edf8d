import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// An unstored card stays readable and out of lists, as Balanced's spec says, and can never be
/// charged again: vault no longer holds its number.
@Suite struct DeletedCardTests {
    @Test(arguments: Modes.all)
    func refusesToChargeOrHoldADeletedCard(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            #expect(try await merchant.payments.delete("/cards/\(card)").status == .noContent)
            #expect(try await merchant.payments.get("/cards/\(card)").status == .ok, "an unstored card is still GET-able")
            let listed = try expectStatus(try await merchant.payments.get("/cards?limit=100"), 200)
            #expect(listed["cards"].array?.contains { $0["id"].string == card } == false)
            for (path, body) in [
                ("/cards/\(card)/debits", ["amount": 100] as JSON), ("/cards/\(card)/card_holds", ["amount": 100]),
                ("/debits", ["amount": 100, "source": .string("/cards/\(card)")]),
            ] {
                try expectError(try await merchant.payments.post(path, body), 409, "card-not-valid")
            }
            let debits = try expectStatus(try await merchant.payments.get("/cards/\(card)/debits"), 200)
            #expect(debits["meta"]["total"] == 0, "no money moved")
            #expect(try await merchant.payments.delete("/cards/\(card)").status == .noContent, "deleting twice is still deleted")
        }
    }
}
