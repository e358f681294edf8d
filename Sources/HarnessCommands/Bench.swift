import ArgumentParser
import Foundation
import Harness

/// What `bench` times: one scenario of calls into the stack, made ready once per stack and then run again
/// and again, in memory and over loopback HTTP in the same run.
///
/// ```swift
/// BenchScenario(name: "order", "POST /orders/orders") { stack in
///     let orders = stack.client("orders")
///     return BenchScenario.Run { _ = try await orders.post("/orders", ["isbn": "9780000000001", "quantity": 1]) }
/// }
/// ```
///
/// The report counts the scenario's outer calls and hops from the exchanges it recorded, so the figures
/// follow the services rather than the description.
public struct BenchScenario: Sendable {
    /// What `--json` files the scenario's figures under, and `--scenario` picks it by.
    public var name: String
    /// The scenario's calls, for the report's first line.
    public var description: String
    /// The services whose `GET /health` is timed alone, to tell the transport's cost from the services'
    /// work (and one framework's hop from another's: they are timed in turns, in the same run).
    public var bareHops: [ServiceName]
    /// Makes the scenario ready on a fresh stack (an account, a catalog), returning what runs it once.
    public var start: @Sendable (Stack) async throws -> Run

    public init(
        name: String, _ description: String, bareHops: [ServiceName] = [], start: @escaping @Sendable (Stack) async throws -> Run
    ) {
        self.name = name
        self.description = description
        self.bareHops = bareHops
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

/// `bench`: the tool's scenarios, each in memory and over loopback HTTP, with every check on and with
/// them off, in the same run; a bare hop; a fresh stack's boot. With checks on, every read is recorded
/// and checked against the contracts directory, as a suite's are.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the tool's scenarios in memory and over loopback HTTP, with checks on and off, and a fresh stack's boot.")

    @Option(parsing: .unconditional, help: "Timed scenarios per scenario, mode and checks setting.")
    var iterations = 2000

    @Option(parsing: .unconditional, help: "Untimed scenarios before timing each.")
    var warmup = 100

    @Option(parsing: .unconditional, help: "Fresh in-memory stacks to boot for the boot time.")
    var boots = 500

    @Option(help: "Only this scenario (by name); all of them by default.")
    var scenario: String?

    @Option(help: "Also write the figures as JSON to this path.")
    var json: String?

    @Option(help: "The contracts every read is checked against with checks on (default: ./contracts when there is one).")
    var contracts: String?

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

    @Flag(help: "With --profile: run the scenario with every check off.")
    var checksOff = false

    func validate() throws {
        guard iterations >= 10 else { throw ValidationError("--iterations must be at least 10") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard boots >= 1 else { throw ValidationError("--boots must be at least 1") }
        guard (stacks ?? 1) >= 1 else { throw ValidationError("--stacks must be at least 1") }
        guard scenariosEach >= 1 else { throw ValidationError("--scenarios-each must be at least 1") }
        guard (profile ?? 0) >= 0 else { throw ValidationError("--profile must not be negative") }
    }

    func run() async throws {
        let (iterations, warmup, boots, stacks, scenariosEach, checksOff) = (iterations, warmup, boots, stacks, scenariosEach, checksOff)
        let system = HarnessTool.current.system
        let scenarios = try chosen(HarnessTool.current.bench)
        let contracts = try self.stackContracts()
        if let profile {
            return try await Task.detached {
                let configuration = BenchSetting(.inMemory, checksOff ? [] : .all).configuration(contracts)
                try await withStack(system, .inMemory, configuration: configuration) { stack in
                    let run = try await scenarios[0].start(stack)
                    for _ in 0..<(warmup + profile) { try await run.once() }
                }
            }.value
        }
        // Off the main actor: executor hops would otherwise be a large part of an in-memory scenario.
        let report = try await Task.detached {
            var figures: [ScenarioFigures] = []
            for scenario in scenarios {
                figures.append(try await ScenarioFigures.measure(scenario, system, contracts, iterations: iterations, warmup: warmup))
            }
            var services: [ServiceName] = []
            for service in scenarios.flatMap(\.bareHops) where !services.contains(service) { services.append(service) }
            let bareHops = services.isEmpty ? [] : try await BareHop.measure(services, system, contracts, iterations: iterations)
            var many: ManyStacks?
            if let stacks {
                many = try await ManyStacks.measure(system, scenarios[0], stacks: stacks, scenariosEach: scenariosEach)
            }
            let boot = try await Self.measureBoots(system, contracts, boots)
            return BenchReport(scenarios: figures, iterations: iterations, bareHops: bareHops, bootMicros: boot, manyStacks: many)
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

    /// `--contracts`, or `./contracts` when there is one, or none.
    func stackContracts() throws -> StackContracts {
        if let contracts {
            guard FileManager.default.fileExists(atPath: contracts) else { throw ValidationError("--contracts \(contracts): no such directory") }
            return .directory(contracts)
        }
        return FileManager.default.fileExists(atPath: "contracts") ? .directory("contracts") : .none
    }

    /// The scenarios `--scenario` names, or all of them.
    func chosen(_ all: [BenchScenario]) throws -> [BenchScenario] {
        guard let scenario else { return all }
        guard let found = all.first(where: { $0.name == scenario }) else {
            throw ValidationError("no scenario named \(scenario); this tool has \(all.map(\.name).joined(separator: ", "))")
        }
        return [found]
    }

    /// p50 of a fresh in-memory stack's boot until every service has answered once (`GET /health`,
    /// whatever its status: the first request is what builds a router or prepares an app).
    static func measureBoots(_ system: SystemUnderTest, _ contracts: StackContracts, _ count: Int) async throws -> Double {
        var boots: [Double] = []
        boots.reserveCapacity(count)
        for _ in 0..<count {
            let began = ContinuousClock.now
            let stack = try Stack.inMemory(system, contracts: contracts)
            for service in system.names { _ = try await stack.client(service).get("/health") }
            boots.append((ContinuousClock.now - began).microseconds)
            withExtendedLifetime(stack) {}
        }
        return Percentiles(boots).p50
    }
}

/// A mode and the checks a stack makes in it.
struct BenchSetting: Equatable {
    let mode: StackMode
    let checks: Checks

    init(_ mode: StackMode, _ checks: Checks) {
        self.mode = mode
        self.checks = checks
    }

    /// Each mode with every check and with none, and in memory every check but one: what each check
    /// costs, by subtraction.
    static let scenario =
        [BenchSetting(.inMemory, .all), BenchSetting(.inMemory, [])] + Checks.each.map { BenchSetting(.inMemory, Checks.all.subtracting($0.check)) }
        + [BenchSetting(.loopback, .all), BenchSetting(.loopback, [])]

    func configuration(_ contracts: StackContracts) -> HarnessConfiguration {
        var configuration = HarnessConfiguration(contracts: checks.contains(.contracts) ? contracts : .none)
        configuration.checks = checks
        return configuration
    }
}

/// One scenario's figures in every setting, and what one scenario does (its hops and validations,
/// counted with checks on).
struct ScenarioFigures {
    let scenario: BenchScenario
    var timings: [(BenchSetting, Timing)]
    /// The exchanges of the timed in-memory run with checks on.
    var hops: [Exchange]
    var validations: Int
    var json: JSONCost?

    static func measure(
        _ scenario: BenchScenario, _ system: SystemUnderTest, _ contracts: StackContracts, iterations: Int, warmup: Int
    ) async throws -> ScenarioFigures {
        var figures = ScenarioFigures(scenario: scenario, timings: [], hops: [], validations: 0, json: nil)
        // In memory and over loopback apart: a loopback call leaves the event loop's threads busy and the
        // caches cold for whatever runs next.
        for mode in [StackMode.inMemory, .loopback] {
            let settings = BenchSetting.scenario.filter { $0.mode == mode }
            try await withStacks(system, settings, contracts) { stacks in
                var runs: [BenchScenario.Run] = []
                for stack in stacks { runs.append(try await scenario.start(stack)) }
                for run in runs { for _ in 0..<warmup { try await run.once() } }
                let all = stacks[0]  // each mode's settings start with every check
                let (skipped, validated) = (try all.exchanges().count, try all.validations())
                figures.timings += zip(settings, try await Timing.interleaved(runs.map(\.once), iterations))
                guard mode == .inMemory else { return }
                figures.hops = Array(try all.exchanges().dropFirst(skipped))
                figures.validations = try all.validations() - validated
                figures.json = try await JSONCost.measure(all, runs[0], rounds: iterations)
            }
        }
        return figures
    }

    func timing(_ setting: BenchSetting) -> Timing? { timings.first { $0.0 == setting }?.1 }
}

/// A stack in each setting, alive at once, each checked as `withStack` checks one when it goes.
func withStacks<R>(
    _ system: SystemUnderTest, _ settings: [BenchSetting], _ contracts: StackContracts, booted: [Stack] = [],
    _ body: ([Stack]) async throws -> R
) async throws -> R {
    guard booted.count < settings.count else { return try await body(booted) }
    let setting = settings[booted.count]
    return try await withStack(system, setting.mode, configuration: setting.configuration(contracts)) { stack in
        try await withStacks(system, settings, contracts, booted: booted + [stack], body)
    }
}

/// The bare hop's `GET /health` in every setting: a hop with (almost) no work behind it.
struct BareHop {
    let service: ServiceName
    let timings: [(BenchSetting, Timing)]

    /// Each service's bare hop, in each mode: the services take turns on the same stacks.
    static func measure(_ services: [ServiceName], _ system: SystemUnderTest, _ contracts: StackContracts, iterations: Int) async throws
        -> [BareHop]
    {
        var timings = [ServiceName: [(BenchSetting, Timing)]]()
        for mode in [StackMode.inMemory, .loopback] {
            let settings = BenchSetting.scenario.filter { $0.mode == mode }
            try await withStacks(system, settings, contracts) { stacks in
                let runs = services.flatMap { service in zip(settings, stacks).map { (service, $0.0, $0.1.client(service)) } }
                let calls = runs.map { _, _, client in { @Sendable () async throws -> Void in _ = try await client.get("/health") } }
                for call in calls { for _ in 0..<max(10, iterations / 10) { try await call() } }
                for ((service, setting, _), timing) in zip(runs, try await Timing.interleaved(calls, iterations)) {
                    timings[service, default: []].append((setting, timing))
                }
            }
        }
        return services.map { BareHop(service: $0, timings: timings[$0] ?? []) }
    }
}

/// Each run's duration, and the loop's.
struct Timing {
    let samples: [Double]
    let elapsedMicros: Double

    /// Each of `runs` timed `iterations` times, taking turns of `block` runs each, so that whatever else
    /// the machine does falls on all of them alike and their ratios hold, while each turn is long enough
    /// that a run does not pay for the caches the one before it left cold. A run's loop time is the sum
    /// of its own samples.
    static func interleaved(_ runs: [@Sendable () async throws -> Void], _ iterations: Int, block: Int = 50) async throws -> [Timing] {
        var samples = [[Double]](repeating: [], count: runs.count)
        for index in runs.indices { samples[index].reserveCapacity(iterations) }
        var done = 0
        while done < iterations {
            let turn = min(block, iterations - done)
            for (index, run) in runs.enumerated() {
                for _ in 0..<turn {
                    let began = ContinuousClock.now
                    try await run()
                    samples[index].append((ContinuousClock.now - began).microseconds)
                }
            }
            done += turn
        }
        return samples.map { Timing(samples: $0, elapsedMicros: $0.reduce(0, +)) }
    }

    var percentiles: Percentiles { Percentiles(samples) }
    var perSecond: Double { Double(samples.count) / (elapsedMicros / 1_000_000) }
}
