import Foundation
import Harness

/// `bench --stacks N`: N isolated in-memory stacks alive at once in this process, what each
/// costs in memory, whether any sees another's data, and how many scenarios they run together.
struct ManyStacks {
    let count: Int
    let bootMicros: Double
    /// Resident memory per stack, just booted and after each ran its scenarios.
    let bytesPerStackBooted: Double
    let bytesPerStackBusy: Double
    let scenariosEach: Int
    let elapsedMicros: Double
    /// Whether the scenario checked each stack holds only its own data.
    let isolationChecked: Bool
    /// The same work (fresh stacks, `scenariosEach` scenarios each) one stack at a time, for comparison:
    /// a fresh stack's pages are short, so the one long-lived stack of the main figures is not.
    let serialScenariosPerSecond: Double

    var scenariosPerSecond: Double { Double(count * scenariosEach) / (elapsedMicros / 1_000_000) }

    static func measure(_ system: SystemUnderTest, _ scenario: BenchScenario, stacks count: Int, scenariosEach: Int) async throws
        -> ManyStacks
    {
        let before = residentBytes()
        let booting = ContinuousClock.now
        var stacks: [Stack] = []
        stacks.reserveCapacity(count)
        for _ in 0..<count { stacks.append(try Stack.inMemory(system, contracts: .none)) }
        let bootMicros = (ContinuousClock.now - booting).microseconds / Double(count)
        let booted = residentBytes()
        let runs = try await inParallel(stacks) { try await scenario.start($0) }
        let start = ContinuousClock.now
        _ = try await inParallel(runs) { run in
            for _ in 0..<scenariosEach { try await run.once() }
        }
        let elapsed = (ContinuousClock.now - start).microseconds
        let busy = residentBytes()
        for run in runs {
            if let problem = try await run.isolation?(scenariosEach) { throw HarnessError("stacks are not isolated: \(problem)") }
        }
        withExtendedLifetime(stacks) {}  // a scenario may hold only its clients, which a gone stack no longer answers
        return ManyStacks(
            count: count, bootMicros: bootMicros, bytesPerStackBooted: Double(booted - before) / Double(count),
            bytesPerStackBusy: Double(busy - before) / Double(count), scenariosEach: scenariosEach, elapsedMicros: elapsed,
            isolationChecked: runs.first?.isolation != nil,
            serialScenariosPerSecond: try await serial(system, scenario, stacks: min(count, 100), scenariosEach: scenariosEach))
    }

    /// Scenarios per second of `stacks` fresh stacks run one after another.
    static func serial(_ system: SystemUnderTest, _ scenario: BenchScenario, stacks: Int, scenariosEach: Int) async throws -> Double {
        var elapsed = Duration.zero
        for _ in 0..<stacks {
            let stack = try Stack.inMemory(system, contracts: .none)
            let run = try await scenario.start(stack)
            let start = ContinuousClock.now
            for _ in 0..<scenariosEach { try await run.once() }
            elapsed += ContinuousClock.now - start
            withExtendedLifetime(stack) {}
        }
        return Double(stacks * scenariosEach) / (elapsed.microseconds / 1_000_000)
    }

    static func inParallel<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            for (index, item) in items.enumerated() { group.addTask { (index, try await body(item)) } }
            var results = [R?](repeating: nil, count: items.count)
            for try await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }

    /// The process's resident set, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    func text() -> String {
        var lines = [
            "\(count) stacks alive at once: boot \(String(format: "%.1f", bootMicros)) µs each; "
                + String(
                    format: "%.0f KiB per stack booted, %.0f KiB after %d scenarios each", bytesPerStackBooted / 1024, bytesPerStackBusy / 1024,
                    scenariosEach),
            isolationChecked
                ? "  isolated: each holds only what its own scenarios made, and sees only that"
                : "  isolation not checked: the scenario has no isolation check",
            String(format: "  all busy at once: %.1f scenarios/s", scenariosPerSecond),
        ]
        lines[2] += String(
            format: " (the same work one stack at a time: %.1f scenarios/s, %.2f×)",
            serialScenariosPerSecond, scenariosPerSecond / serialScenariosPerSecond)
        return lines.joined(separator: "\n")
    }

    var json: JSON {
        [
            "stacks": .number(Double(count)), "boot_us_each": .number(bootMicros), "bytes_per_stack_booted": .number(bytesPerStackBooted),
            "bytes_per_stack_busy": .number(bytesPerStackBusy), "scenarios_each": .number(Double(scenariosEach)),
            "scenarios_per_second": .number(scenariosPerSecond), "serial_scenarios_per_second": .number(serialScenariosPerSecond),
        ]
    }
}
