import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// A retried payment moves money once: the same Idempotency-Key replays the first answer.
@Suite struct IdempotencyTests {
    @Test(arguments: Modes.all)
    func createsOneDebitForManyConcurrentDuplicates(mode: StackMode) async throws {
        let logs = LogCapture()
        try await withStack(.payments, mode, logs: logs) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            let key = uniqueMarker("order-42")
            let responses = try await withThrowingTaskGroup(of: ServiceResponse.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await merchant.payments.post("/cards/\(card)/debits", ["amount": 2500], headers: [.idempotencyKey: key])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.map(\.status.code) == Array(repeating: 201, count: 20))
            let ids = Set(responses.compactMap { $0.json?["debits"][0]["id"].string })
            #expect(ids.count == 1, "every duplicate answers with the one debit")
            let debits = try expectStatus(try await merchant.payments.get("/cards/\(card)/debits"), 200)
            #expect(debits["meta"]["total"] == 1)
            #expect(responses.filter { $0.head.headerFields[.idempotentReplayed] == "true" }.count == 19)

            let reused = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 9999], headers: [.idempotencyKey: key])
            try expectError(reused, 409, "request")
        }
        #expect(!logs.all.contains { $0.contains("polling") }, "duplicates wait for the first request's end, not on a clock")
    }

    @Test(arguments: Modes.all)
    func replaysARefusalToo(mode: StackMode) async throws {
        try await withStack(.payments, mode) { stack in
            let merchant = try await stack.openMarketplace()
            let debit = try #require(try await merchant.debit(try await merchant.tokenize(), amount: 100)["id"].string)
            let key = uniqueMarker("refund")
            let first = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 500], headers: [.idempotencyKey: key])
            try expectError(first, 400, "invalid-amount")
            #expect(first.head.headerFields[.idempotentReplayed] == nil)
            let again = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 500], headers: [.idempotencyKey: key])
            #expect(again.status == .badRequest)
            #expect(again.head.headerFields[.idempotentReplayed] == "true", "the second answer is the first, replayed")
            #expect(again.json?["errors"][0]["request_id"] == first.json?["errors"][0]["request_id"],
                    "a replay carries the first request's id; a fresh refusal would have its own")
            #expect(again.json == first.json)
            let fresh = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 500])
            #expect(fresh.json?["errors"][0]["request_id"] != first.json?["errors"][0]["request_id"])
        }
    }
}
