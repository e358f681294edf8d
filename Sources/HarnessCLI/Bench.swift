import ArgumentParser
import Foundation
import Harness
import PaymentsSystem
import ServiceKit

/// `harness bench`: one payment scenario, in memory and over loopback HTTP in the same run.
///
/// The scenario is `POST /payments/debits` with an inline card (payments tokenizes it at vault, which
/// verifies it with the processor, asks fraud, then charges through vault and the processor) then
/// `GET /dashboard/summary` (dashboard → payments for the merchant's marketplace and its debits,
/// dashboard → fraud). The report counts its outer calls and hops from the exchanges it recorded rather
/// than stating them, so the figure follows the services. Its stacks check no contracts
/// (`contracts: .none`): the bench runs from any directory, and what consumers read is the suites' to check.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the debit + summary scenario in memory and over loopback HTTP, and a fresh stack's boot.")

    @Option(parsing: .unconditional, help: "Timed scenarios per mode.")
    var iterations = 2000

    @Option(parsing: .unconditional, help: "Untimed scenarios per mode before timing.")
    var warmup = 100

    @Option(parsing: .unconditional, help: "Fresh in-memory stacks to boot for the boot time.")
    var boots = 500

    @Option(help: "Also write the figures as JSON to this path.")
    var json: String?

    @Option(
        parsing: .unconditional,
        help: "Also keep this many isolated in-memory stacks alive at once, check they see only their own data, and run them all busy.")
    var stacks: Int?

    @Option(parsing: .unconditional, help: "Scenarios each of the --stacks runs.")
    var scenariosEach = 10

    @Option(
        parsing: .unconditional,
        help: "Only run this many in-memory scenarios after the warmup, untimed and unreported: for a profiler (perf record -e cpu-clock).")
    var profile: Int?

    func validate() throws {
        guard iterations >= 10 else { throw ValidationError("--iterations must be at least 10") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard boots >= 1 else { throw ValidationError("--boots must be at least 1") }
        guard (stacks ?? 1) >= 1 else { throw ValidationError("--stacks must be at least 1") }
        guard scenariosEach >= 1 else { throw ValidationError("--scenarios-each must be at least 1") }
        guard (profile ?? 0) >= 0 else { throw ValidationError("--profile must not be negative") }
    }

    func run() async throws {
        let (iterations, warmup, boots, stacks, scenariosEach) = (iterations, warmup, boots, stacks, scenariosEach)
        if let profile {
            return try await Task.detached {
                try await withStack(.payments, .inMemory, contracts: .none) { stack in
                    let merchant = try await stack.openMarketplace()
                    let only = ProcessInfo.processInfo.environment["PROFILE_PATH"]
                    for _ in 0..<(warmup + profile) {
                        if let only { _ = try await merchant.payments.get(only) } else { try await Self.scenario(merchant) }
                    }
                }
            }.value
        }
        // Off the main actor: executor hops would otherwise be a large part of an in-memory scenario.
        let report = try await Task.detached {
            var modes: [(StackMode, ModeFigures)] = []
            for mode in [StackMode.inMemory, .loopback] {
                modes.append((mode, try await Self.measure(mode, iterations: iterations, warmup: warmup)))
            }
            var many: ManyStacks?
            if let stacks { many = try await ManyStacks.measure(stacks, scenariosEach: scenariosEach) }
            let (boot, firstCall) = try await Self.measureBoots(boots)
            return BenchReport(iterations: iterations, modes: modes, bootMicros: boot, firstCallMicros: firstCall, manyStacks: many)
        }.value
        print(report.text)
        if let json {
            do {
                try report.figures.encoded().readableBytesView.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: json)) }
            } catch {
                throw HarnessError("cannot write \(json): \(error.localizedDescription)")
            }
        }
    }

    static func measure(_ mode: StackMode, iterations: Int, warmup: Int) async throws -> ModeFigures {
        try await withStack(.payments, mode, contracts: .none) { stack in try await measure(stack, iterations: iterations, warmup: warmup) }
    }

    static func measure(_ stack: Stack, iterations: Int, warmup: Int) async throws -> ModeFigures {
        let merchant = try await stack.openMarketplace()
        for _ in 0..<warmup { try await scenario(merchant) }
        let skipped = try stack.exchanges().count
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        let start = ContinuousClock.now
        for _ in 0..<iterations {
            let began = ContinuousClock.now
            try await scenario(merchant)
            samples.append((ContinuousClock.now - began).microseconds)
        }
        let elapsed = (ContinuousClock.now - start).microseconds
        let hops = try stack.exchanges().dropFirst(skipped)
        // One bare hop, to separate the transport's cost from the services' work.
        var bare: [Double] = []
        for _ in 0..<iterations {
            let began = ContinuousClock.now
            _ = try await stack.payments.get("/health")
            bare.append((ContinuousClock.now - began).microseconds)
        }
        let json = stack.mode == .inMemory ? try await JSONCost.measure(stack, merchant, rounds: iterations) : nil
        return ModeFigures(samples: samples, elapsedMicros: elapsed, hops: Array(hops), bareHopMicros: Percentiles(bare).p50, json: json)
    }

    static func scenario(_ merchant: Merchant) async throws {
        let debit = try await merchant.payments.post(
            "/debits",
            [
                "amount": 1000,
                "source": [
                    "number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123",
                ],
            ])
        guard debit.status == .created else {
            throw HarnessError("POST /payments/debits answered \(debit.status.code): \(debit.bodyText)")
        }
        let summary = try await merchant.dashboard.get("/summary")
        guard summary.status == .ok else {
            throw HarnessError("GET /dashboard/summary answered \(summary.status.code): \(summary.bodyText)")
        }
    }

    /// p50 of a fresh stack's boot, and of its first call to payments, which builds payments' router.
    static func measureBoots(_ count: Int) async throws -> (boot: Double, firstCall: Double) {
        var boots: [Double] = []
        var firstCalls: [Double] = []
        for _ in 0..<count {
            let began = ContinuousClock.now
            let stack = try Stack.inMemory(.payments, contracts: .none)
            let booted = ContinuousClock.now
            _ = try await stack.payments.get("/health")
            boots.append((booted - began).microseconds)
            firstCalls.append((ContinuousClock.now - booted).microseconds)
        }
        return (Percentiles(boots).p50, Percentiles(firstCalls).p50)
    }
}
