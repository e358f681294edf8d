import Foundation
import Harness

/// Sorted samples and the percentiles read off them.
struct Percentiles {
    let sorted: [Double]

    init(_ samples: [Double]) { sorted = samples.sorted() }

    func at(_ fraction: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }

    var p50: Double { at(0.50) }
    var p90: Double { at(0.90) }
    var p99: Double { at(0.99) }
}

/// One mode's timings, and the hops it made.
struct ModeFigures {
    let samples: [Double]
    let elapsedMicros: Double
    let hops: [Exchange]
    /// p50 of the bare hop's `GET /health`: a hop with (almost) no work behind it.
    let bareHopMicros: Double?
    /// What JSON costs one scenario (measured in memory only).
    let json: JSONCost?

    var percentiles: Percentiles { Percentiles(samples) }
    var scenariosPerSecond: Double { Double(samples.count) / (elapsedMicros / 1_000_000) }

    /// Mean time per route, outer calls including the hops they made.
    var meanByRoute: [(route: String, micros: Double, count: Int)] {
        Dictionary(grouping: hops) { "\($0.caller?.rawValue ?? "client") → \($0.callee) \($0.route)" }
            .map { route, exchanges in
                (route, exchanges.map(\.duration.microseconds).reduce(0, +) / Double(exchanges.count), exchanges.count)
            }
            .sorted { $0.micros > $1.micros }
    }
}

struct BenchReport {
    let scenario: BenchScenario
    let iterations: Int
    let modes: [(StackMode, ModeFigures)]
    let bootMicros: Double
    let firstCallMicros: Double
    let manyStacks: ManyStacks?

    var ratio: Double {
        guard modes.count == 2, modes[0].1.percentiles.p50 > 0 else { return 0 }
        return modes[1].1.percentiles.p50 / modes[0].1.percentiles.p50
    }

    /// The calls one scenario makes, counted from the hops the first mode recorded: the outer calls (from
    /// the client) and the hops between services, each route with how many times a scenario makes it.
    var perScenario: (outer: Double, hops: Double, routes: [(route: String, times: Double)]) {
        guard let figures = modes.first?.1, iterations > 0 else { return (0, 0, []) }
        let scenarios = Double(iterations)
        let outer = Double(figures.hops.filter { $0.caller == nil }.count) / scenarios
        let inner = figures.hops.filter { $0.caller != nil }
        let routes = Dictionary(grouping: inner) { "\($0.caller!.rawValue) → \($0.callee) \($0.route.split(separator: "?")[0])" }
            .map { (route: $0.key, times: Double($0.value.count) / scenarios) }
            .sorted { $0.route < $1.route }
        return (outer, Double(inner.count) / scenarios, routes)
    }

    var text: String {
        func f(_ value: Double) -> String { String(format: "%10.1f", value) }
        func count(_ value: Double) -> String { String(format: value == value.rounded() ? "%.0f" : "%.2f", value) }
        let calls = perScenario
        var lines = [
            "scenario: \(scenario.description) — \(count(calls.outer)) outer calls, "
                + "\(count(calls.hops)) hops (counted); \(iterations) per mode",
            "hops per scenario: " + calls.routes.map { "\($0.route)\($0.times == 1 ? "" : " ×\(count($0.times))")" }.joined(separator: ", "),
            "mode          p50 µs     p90 µs     p99 µs  scenarios/s",
        ]
        for (mode, figures) in modes {
            let p = figures.percentiles
            lines.append(
                "\(mode.description.padding(toLength: 10, withPad: " ", startingAt: 0))\(f(p.p50)) \(f(p.p90)) \(f(p.p99))   \(f(figures.scenariosPerSecond))"
            )
        }
        lines.append(String(format: "in memory is %.1f× faster than loopback HTTP (p50)", ratio))
        if modes.count == 2, let service = scenario.bareHop, let memory = modes[0].1.bareHopMicros, let loopback = modes[1].1.bareHopMicros {
            lines.append(
                String(
                    format: "one bare hop (GET /\(service)/health, p50): in memory %.1f µs, loopback %.1f µs (%.0f×)",
                    memory, loopback, memory > 0 ? loopback / memory : 0))
        }
        let first = scenario.bareHop.map { "its first call to \($0) (which builds its router)" } ?? "its first scenario"
        lines.append(String(format: "fresh isolated stack boot: p50 %.1f µs; \(first): p50 %.1f µs", bootMicros, firstCallMicros))
        if let manyStacks { lines.append(manyStacks.text()) }
        lines += modes.compactMap { $0.1.json?.text }
        for (mode, figures) in modes {
            lines.append("where the time goes (\(mode), mean per call, outer calls include their hops):")
            for route in figures.meanByRoute {
                lines.append("  \(route.route.padding(toLength: 44, withPad: " ", startingAt: 0))\(f(route.micros)) µs")
            }
        }
        return lines.joined(separator: "\n")
    }

    var figures: JSON {
        var modeFigures: [String: JSON] = [:]
        for (mode, figures) in modes {
            let p = figures.percentiles
            modeFigures[mode.description] = [
                "p50_us": .number(p.p50), "p90_us": .number(p.p90), "p99_us": .number(p.p99),
                "scenarios_per_second": .number(figures.scenariosPerSecond), "bare_hop_p50_us": figures.bareHopMicros.map(JSON.number) ?? .null,
            ]
        }
        return [
            "iterations": .number(Double(iterations)), "modes": .object(modeFigures),
            "outer_calls_per_scenario": .number(perScenario.outer), "hops_per_scenario": .number(perScenario.hops),
            "ratio_p50": .number(ratio), "boot_p50_us": .number(bootMicros), "first_call_p50_us": .number(firstCallMicros),
            "json_per_scenario_us": modes.compactMap(\.1.json).first.map { json in
                [
                    "own": .number(json.ownMicros), "foundation": .number(json.foundationMicros),
                    "bodies": .number(Double(json.bodies)), "bytes": .number(Double(json.bytes)),
                ]
            } ?? nil,
            "many_stacks": manyStacks?.json ?? nil,
        ]
    }
}
