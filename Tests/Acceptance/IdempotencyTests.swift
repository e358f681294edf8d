import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// A retried payment moves money once: the same Idempotency-Key replays the first answer.
@Suite struct IdempotencyTests {
    @Test(arguments: Modes.all)
    func createsOneDebitForManyConcurrentDuplicates(mode: StackMode) async throws {
        let logs = LogCapture()
        try await withStack(.payments, mode, logs: logs, configuration: .suite) { stack in
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
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let debit = try #require(try await merchant.debit(try await merchant.tokenize(), amount: 100)["id"].string)
            let key = uniqueMarker("refund")
            let first = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 500], headers: [.idempotencyKey: key])
            try expectError(first, 400, "invalid-amount")
            #expect(first.head.headerFields[.idempotentReplayed] == nil)
            let again = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 500], headers: [.idempotencyKey: key])
            #expect(again.status == .badRequest)
            #expect(again.head.headerFields[.idempotentReplayed] == "true", "the second answer is the first, replayed")
            #expect(
                again.json?["errors"][0]["request_id"] == first.json?["errors"][0]["request_id"],
                "a replay carries the first request's id; a fresh refusal would have its own")
            #expect(again.json == first.json)
            let fresh = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 500])
            #expect(fresh.json?["errors"][0]["request_id"] != first.json?["errors"][0]["request_id"])
        }
    }
}

/// A first request that fails with a server error releases its key; its concurrent duplicates then
/// claim it in turn, each failing the same way, and none is left waiting.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "fails fraud's answers in flight, which \(Modes.inProcessOnly)")))
struct IdempotencyUnderFailureTests {
    @Test(arguments: Modes.all)
    func releasesTheKeyToEachDuplicateWhenTheFirstFails(mode: StackMode) async throws {
        let logs = LogCapture()
        try await withStack(.payments, mode, logs: logs, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            try stack.intercept(.fraud, from: .payments) { _, _ in ServiceResponse(.serviceUnavailable, json: ["status": "down"]) }
            let key = uniqueMarker("order-down")
            let statuses = try await withThrowingTaskGroup(of: [Int]?.self) { group in
                group.addTask {
                    try await withThrowingTaskGroup(of: Int.self) { duplicates in
                        for _ in 0..<20 {
                            duplicates.addTask {
                                try await merchant.payments.post("/cards/\(card)/debits", ["amount": 2500], headers: [.idempotencyKey: key]).status
                                    .code
                            }
                        }
                        return try await duplicates.reduce(into: []) { $0.append($1) }
                    }
                }
                // Only a hang waits this long; it then fails the test instead of the run.
                group.addTask {
                    try await Task.sleep(for: .seconds(60))
                    return nil
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
            #expect(statuses == Array(repeating: 502, count: 20), "every duplicate gets the server failure, none waits forever")
            let debits = try expectStatus(try await merchant.payments.get("/cards/\(card)/debits"), 200)
            #expect(debits["meta"]["total"] == 0)
        }
        #expect(!logs.all.contains { $0.contains("polling") })
    }
}

/// The race an idempotency key exists for, made on purpose: the first debit is held on its way into
/// fraud while its duplicate arrives.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "pauses a hop, which \(Modes.inProcessOnly)")))
struct IdempotencyRaceTests {
    @Test(arguments: Modes.all)
    func aDuplicateArrivingWhileTheFirstIsInsideFraudMovesMoneyOnce(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            let key: HTTPFields = [.idempotencyKey: uniqueMarker("paused")]
            let pause = try stack.pause(.fraud, from: .payments, route: "POST /checks")
            let first = Task { try await merchant.payments.post("/cards/\(card)/debits", ["amount": 4200], headers: key) }
            await pause.waitUntilHeld()
            let second = Task { try await merchant.payments.post("/cards/\(card)/debits", ["amount": 4200], headers: key) }
            for _ in 0..<1_000 { await Task.yield() }
            #expect(pause.heldCount == 1, "the duplicate waits for the key, it never reaches fraud")
            pause.release()
            let (answer, replay) = (try await first.value, try await second.value)
            #expect(answer.status == .created && replay.status == .created)
            #expect(replay.json == answer.json && replay.head.headerFields[.idempotentReplayed] == "true")
            #expect(try await merchant.payments.get("/cards/\(card)/debits").json?["meta"]["total"] == 1)
        }
    }
}
