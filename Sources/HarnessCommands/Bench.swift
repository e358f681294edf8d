import ArgumentParser
import Foundation
import Harness

/// What `bench` times: one scenario of calls into the stack, made ready once per stack and then run again
/// and again, in memory and over loopback HTTP in the same run.
///
/// ```swift
/// BenchScenario("POST /orders/orders") { stack in
///     let orders = stack.client("orders")
///     return BenchScenario.Run { _ = try await orders.post("/orders", ["isbn": "9780000000001", "quantity": 1]) }
/// }
/// ```
///
/// The report counts the scenario's outer calls and hops from the exchanges it recorded, so the figures
/// follow the services rather than the description.
public struct BenchScenario: Sendable {
    /// The scenario's calls, for the report's first line.
    public var description: String
    /// The service whose `GET /health` is timed alone, to tell the transport's cost from the services' work.
    public var bareHop: ServiceName?
    /// Makes the scenario ready on a fresh stack (an account, a catalog), returning what runs it once.
    public var start: @Sendable (Stack) async throws -> Run

    public init(_ description: String, bareHop: ServiceName? = nil, start: @escaping @Sendable (Stack) async throws -> Run) {
        self.description = description
        self.bareHop = bareHop
        self.start = start
    }

    /// The scenario, ready on one stack.
    public struct Run: Sendable {
        /// Runs the scenario once; throws when an answer is not what it should be.
        public var once: @Sendable () async throws -> Void
        /// After `runs` scenarios on a fresh stack, why its data is not exactly what those runs made, or
        /// nil: `bench --stacks` checks that stacks alive at once share nothing.
        public var isolation: (@Sendable (_ runs: Int) async throws -> String?)?

        public init(isolation: (@Sendable (_ runs: Int) async throws -> String?)? = nil, once: @escaping @Sendable () async throws -> Void) {
            self.once = once
            self.isolation = isolation
        }
    }
}

/// `bench`: the tool's scenario, in memory and over loopback HTTP in the same run. Its stacks check no
/// contracts (`contracts: .none`): the bench runs from any directory, and what consumers read is the
/// suites' to check.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the tool's scenario in memory and over loopback HTTP, and a fresh stack's boot.")

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
        let (system, scenario) = (HarnessTool.current.system, HarnessTool.current.bench!)
        if let profile {
            return try await Task.detached {
                try await withStack(system, .inMemory, contracts: .none) { stack in
                    let run = try await scenario.start(stack)
                    for _ in 0..<(warmup + profile) { try await run.once() }
                }
            }.value
        }
        // Off the main actor: executor hops would otherwise be a large part of an in-memory scenario.
        let report = try await Task.detached {
            var modes: [(StackMode, ModeFigures)] = []
            for mode in [StackMode.inMemory, .loopback] {
                modes.append(
                    (
                        mode,
                        try await withStack(system, mode, contracts: .none) { stack in
                            try await Self.measure(scenario, on: stack, iterations: iterations, warmup: warmup)
                        }
                    ))
            }
            var many: ManyStacks?
            if let stacks { many = try await ManyStacks.measure(system, scenario, stacks: stacks, scenariosEach: scenariosEach) }
            let (boot, firstCall) = try await Self.measureBoots(system, scenario, boots)
            return BenchReport(
                scenario: scenario, iterations: iterations, modes: modes, bootMicros: boot, firstCallMicros: firstCall, manyStacks: many)
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

    static func measure(_ scenario: BenchScenario, on stack: Stack, iterations: Int, warmup: Int) async throws -> ModeFigures {
        let run = try await scenario.start(stack)
        for _ in 0..<warmup { try await run.once() }
        let skipped = try stack.exchanges().count
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        let start = ContinuousClock.now
        for _ in 0..<iterations {
            let began = ContinuousClock.now
            try await run.once()
            samples.append((ContinuousClock.now - began).microseconds)
        }
        let elapsed = (ContinuousClock.now - start).microseconds
        let hops = try stack.exchanges().dropFirst(skipped)
        var bare: [Double] = []
        if let service = scenario.bareHop {
            let client = stack.client(service)
            for _ in 0..<iterations {
                let began = ContinuousClock.now
                _ = try await client.get("/health")
                bare.append((ContinuousClock.now - began).microseconds)
            }
        }
        let json = stack.mode == .inMemory ? try await JSONCost.measure(stack, run, rounds: iterations) : nil
        return ModeFigures(
            samples: samples, elapsedMicros: elapsed, hops: Array(hops), bareHopMicros: bare.isEmpty ? nil : Percentiles(bare).p50, json: json)
    }

    /// p50 of a fresh stack's boot, and of its first call: `GET /health` of the bare hop's service (which
    /// builds that service's router), or without one the whole first scenario.
    static func measureBoots(_ system: SystemUnderTest, _ scenario: BenchScenario, _ count: Int) async throws -> (
        boot: Double, firstCall: Double
    ) {
        var boots: [Double] = []
        var firstCalls: [Double] = []
        for _ in 0..<count {
            let began = ContinuousClock.now
            let stack = try Stack.inMemory(system, contracts: .none)
            let booted = ContinuousClock.now
            if let service = scenario.bareHop {
                _ = try await stack.client(service).get("/health")
            } else {
                try await scenario.start(stack).once()
            }
            withExtendedLifetime(stack) {}  // until its first call is answered: a scenario may hold only its clients
            boots.append((booted - began).microseconds)
            firstCalls.append((ContinuousClock.now - booted).microseconds)
        }
        return (Percentiles(boots).p50, Percentiles(firstCalls).p50)
    }
}
