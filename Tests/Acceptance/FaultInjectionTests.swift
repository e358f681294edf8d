import Foundation
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Faults on a hop, in process: what reaches the callee, what comes back, and how long it took on the stack's clock.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "injects faults into the stack's hops, which \(Modes.inProcessOnly)")))
struct FaultInjectionTests {
    /// Debits an inline card and returns the answer, and how many fraud checks fraud stored.
    func debit(_ stack: Stack, _ merchant: Merchant) async throws -> (ServiceResponse, checks: Int) {
        let response = try await merchant.payments.post("/debits", ["amount": 1200, "source": TestCard.visa])
        let checks = try await stack.database(.fraud).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM fraud_check") ?? -1 }
        return (response, checks)
    }

    /// Payments' debits and ledger entries.
    func books(_ stack: Stack) async throws -> [Int] {
        try await stack.database(.payments).read { db in
            [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM debit") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_entry") ?? -1]
        }
    }

    @Test func latencyMovesTheStackClockInsteadOfTakingWallTime() async throws {
        try await withStack(.payments, .inMemory, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let before = try stack.clock().now
            try stack.inject(.latency(.seconds(4)), into: .fraud, from: .payments, route: "POST /checks")
            let started = ContinuousClock.now
            let (response, checks) = try await debit(stack, merchant)
            #expect(response.status == .created && checks == 1, "4 seconds is within payments' 5-second timeout")
            #expect(try stack.clock().now.timeIntervalSince(before) >= 4)
            // Nine more: really waited, the ten would take 40 seconds; on the stack clock they take as long
            // as ten debits do, a second or two on a loaded machine. No bound on one wait could tell.
            for _ in 0..<9 { _ = try await debit(stack, merchant) }
            #expect(try stack.clock().now.timeIntervalSince(before) >= 40)
            #expect(ContinuousClock.now - started < .seconds(40), "the latency took no wall time")
            #expect(
                try stack.injectedFaults().map(\.description)
                    == Array(repeating: "latency 4.0 seconds on payments → fraud POST /checks (rule 1)", count: 10))
        }
    }

    @Test(arguments: Modes.all)
    func eachFaultDoesWhatItSaysToTheHop(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            var seen: [(Fault, Int?, Int)] = []
            for (fault, reachesFraud) in [
                (Fault.status(503), false), (.timeout(after: .milliseconds(5)), false), (.connectionReset, true),
                (.truncatedBody, true), (.garbledBody, true), (.slowBody(.milliseconds(5)), true),
            ] {
                let before = try await debit(stack, merchant).checks
                try stack.inject(fault, into: .fraud, from: .payments, route: "POST /checks", nth: 1)
                let answered = try stack.exchanges().count
                let booked = try await books(stack)
                let (response, after) = try await debit(stack, merchant)
                let moved = response.status == .created
                #expect(
                    try await books(stack) == (moved ? [booked[0] + 1, booked[1] + 2] : booked),
                    "\(fault): no debit or ledger entry unless it succeeded")
                let hop = try stack.exchanges().dropFirst(answered).first { $0.caller == .payments && $0.callee == .fraud }
                seen.append((fault, hop?.status, response.status.code))
                #expect(after - before == (reachesFraud ? 1 : 0), "\(fault): fraud saw the faulted call: \(reachesFraud)")
            }
            let statusOf = Dictionary(seen.map { ("\($0.0)", $0.1) }, uniquingKeysWith: { a, _ in a })
            #expect(statusOf["status 503"] == .some(503))
            #expect(statusOf["timeout after 0.005 seconds"] == .some(nil), "a timed-out hop has no status")
            #expect(statusOf["connection reset"] == .some(nil), "a reset hop has no status")
            #expect(
                statusOf["truncated body"] == .some(201) && statusOf["garbled body"] == .some(201)
                    && statusOf["slow body 0.005 seconds"] == .some(201))
            // What payments answers the merchant: never a 500 of its own.
            #expect(
                seen.map { "\($0.0) → \($0.2)" } == [
                    "status 503 → 502", "timeout after 0.005 seconds → 503", "connection reset → 503", "truncated body → 502",
                    "garbled body → 502", "slow body 0.005 seconds → 201",
                ])
            #expect(try stack.injectedFaults().count == 6, "each rule hit only its first matching call")
        }
    }

    /// A provider answering as if it had renamed a field, without rebuilding it: the consumer names the
    /// drift in its 502, and the run does not count it as drift, since a fault made it.
    @Test func aRenameFaultMakesDriftWithoutARebuild() async throws {
        let fault = try Fault(json: ["rename": ["csc_check": "security_code_check"]])
        #expect(fault == .renamedField(from: "csc_check", to: "security_code_check"))
        #expect(throws: HarnessError.self) { try Fault(json: ["rename": ["csc_check": 3]]) }
        try await withStack(.payments, .inMemory, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.inject(fault, into: .fraud, from: .payments, route: "POST /checks")
            let (response, checks) = try await debit(stack, merchant)
            #expect(response.status == .badGateway && checks == 1, "\(response.bodyText)")
            let drift = Drift(json: response.json?["errors"][0]["extras"]["drift"] ?? .null)
            #expect(drift?.kind == .requiredFieldMissing && drift?.field == "csc_check" && drift?.likelyRename == "security_code_check")
        }
    }

    @Test func aCallerGivesUpAfterItsTimeoutOnTheStackClockAndWritesNothing() async throws {
        try await withStack(.payments, .inMemory, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let before = try stack.clock().now
            try stack.inject(.latency(.seconds(30)), into: .fraud, from: .payments, route: "POST /checks")
            let (response, checks) = try await debit(stack, merchant)
            #expect(try expectError(response, 503, "upstream-unavailable").contains("fraud POST /checks did not answer: POST /checks timed out"))
            let waited = try stack.clock().now.timeIntervalSince(before)
            #expect(waited >= 5 && waited < 30, "payments waited its 5-second timeout, not fraud's 30 seconds: \(waited)")
            let booked = try await books(stack)
            #expect(checks == 0 && booked == [0, 0])
        }
    }

    @Test func retriesAReadThatFailedAndNeverAWrite() async throws {
        try await withStack(.payments, .inMemory, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            try stack.inject(.status(503), into: .vault, from: .payments, route: "GET /cards/{id}", nth: 1)
            let read = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 700])
            #expect(read.status == .created, "vault's read failed once and was retried: \(read.bodyText)")
            #expect(try stack.exchanges().filter { $0.callee == .vault && $0.route.hasPrefix("GET /cards/") }.map(\.status) == [503, 200])
            try stack.inject(.status(503), into: .fraud, from: .payments, route: "POST /checks", nth: 1)
            let write = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 700])
            try expectError(write, 502, "upstream-failure")
            #expect(
                try stack.exchanges().filter { $0.callee == .fraud && $0.route == "POST /checks" }.map(\.status) == [201, 503],
                "a check is a write: not sent twice")
        }
    }

    @Test func aSeedReplaysTheSameProbabilisticFaultsInTheSameOrder() async throws {
        func run(seed: UInt64) async throws -> [Int] {
            try await withStack(.payments, .inMemory, configuration: .suite) { stack in
                try stack.seedFaults(seed)
                try stack.inject(.status(503), into: .fraud, route: "POST /checks", probability: 0.5)
                let merchant = try await stack.openMarketplace()
                var failed: [Int] = []
                for call in 1...24 where try await debit(stack, merchant).0.status != .created { failed.append(call) }
                #expect(try stack.injectedFaults().count == failed.count)
                return failed
            }
        }
        let first = try await run(seed: 20_261_202)
        #expect(try await run(seed: 20_261_202) == first, "the same seed hits the same calls")
        #expect(!first.isEmpty && first.count < 24, "p=0.5 over 24 calls hits some and spares some: \(first)")
        #expect(try await run(seed: 7) != first, "another seed hits other calls")
    }

    @Test func readsAFaultsFileAndNamesWhatIsWrongInOne() throws {
        let file: JSON = [
            "seed": 9,
            "rules": [
                ["callee": "fraud", "caller": "payments", "route": "POST /checks", "nth": 2, "fault": ["status": 503]],
                ["callee": "vault", "probability": 0.25, "fault": "connection-reset"],
                ["callee": "fraud", "fault": ["latency_ms": 1500]],
            ],
        ]
        let (rules, seed) = try FaultInjector.rules(fromFile: file)
        #expect(seed == 9)
        #expect(
            rules.map(\.description) == [
                "status 503 into fraud from payments on POST /checks, call 2", "connection reset into vault, p=0.25",
                "latency 1.5 seconds into fraud",
            ])
        for (bad, problem) in [
            (["rules": [["fault": "connection-reset"]]] as JSON, "rule 1: \"callee\" (a service name) is required"),
            (["rules": [["callee": "fraud", "fault": "explode"]]], "rule 1: \"fault\" is"),
            (["rules": [["callee": "fraud", "fault": ["status": 200]]]], "rule 1: \"status\" is an error status, 400 to 599"),
            (["rules": [["callee": "fraud", "probability": 2, "fault": "garbled-body"]]], "rule 1: \"probability\" is a number from 0 to 1"),
            (["rules": [["callee": "fraud", "route": "/checks", "fault": "garbled-body"]]], "rule 1: \"route\" is a method and a path"),
            (["rule": []], "a faults file has no field rule"),
        ] {
            #expect(throws: HarnessError.self) { try FaultInjector.rules(fromFile: bad) }
            do { _ = try FaultInjector.rules(fromFile: bad) } catch { #expect("\(error)".contains(problem), "\(error)") }
        }
    }
}
