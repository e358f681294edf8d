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

extension BenchSetting {
    var label: String {
        let checks =
            switch checks {
            case .all: ""
            case []: ", checks off"
            default: ", without " + Checks.each.filter { !self.checks.contains($0.check) }.map(\.name).joined(separator: ", ")
            }
        return "\(mode)\(checks)"
    }

    /// The key `--json` files it under: `checks_on`, `checks_off`, `without_documents`.
    var key: String {
        switch checks {
        case .all: "checks_on"
        case []: "checks_off"
        default: "without_" + Checks.each.filter { !checks.contains($0.check) }.map(\.name).joined(separator: "_")
        }
    }
}

extension ScenarioFigures {
    /// The calls one scenario makes, counted from the hops recorded: the outer calls (from the client)
    /// and the hops between services, each route with how many times a scenario makes it.
    func perScenario(_ iterations: Int) -> (outer: Double, hops: Double, routes: [(route: String, times: Double)]) {
        let scenarios = Double(iterations)
        let outer = Double(hops.filter { $0.caller == nil }.count) / scenarios
        let inner = hops.filter { $0.caller != nil }
        let routes = Dictionary(grouping: inner) { "\($0.caller!.rawValue) → \($0.callee) \($0.route.split(separator: "?")[0])" }
            .map { (route: $0.key, times: Double($0.value.count) / scenarios) }
            .sorted { $0.route < $1.route }
        return (outer, Double(inner.count) / scenarios, routes)
    }

    /// Mean time per route with checks on, in memory: outer calls including the hops they made.
    var meanByRoute: [(route: String, micros: Double)] {
        Dictionary(grouping: hops) { "\($0.caller?.rawValue ?? "client") → \($0.callee) \($0.route.split(separator: "?")[0])" }
            .map { route, exchanges in (route, exchanges.map(\.duration.microseconds).reduce(0, +) / Double(exchanges.count)) }
            .sorted { $0.micros > $1.micros }
    }

    /// What every check together costs in memory, as a share of the scenario's p50: p50 with checks on
    /// minus p50 with them off.
    var checksShare: Double? { share(without: .all) }

    /// What `checks` cost in memory, as a share of the scenario's p50 with every check: p50 with every
    /// check minus p50 without those.
    func share(without checks: Checks) -> Double? {
        guard let on = timing(BenchSetting(.inMemory, .all))?.percentiles.p50,
            let off = timing(BenchSetting(.inMemory, Checks.all.subtracting(checks)))?.percentiles.p50, on > 0
        else { return nil }
        return (on - off) / on
    }

    /// Each check's share, by name.
    var eachShare: [(name: String, share: Double)] {
        Checks.each.compactMap { check in share(without: check.check).map { (check.name, $0) } }
    }
}

struct BenchReport {
    let scenarios: [ScenarioFigures]
    let iterations: Int
    let bareHops: [BareHop]
    let bootMicros: Double
    let manyStacks: ManyStacks?

    var text: String {
        func f(_ value: Double) -> String { String(format: "%10.1f", value) }
        func count(_ value: Double) -> String { String(format: value == value.rounded() ? "%.0f" : "%.2f", value) }
        var lines: [String] = []
        for figures in scenarios {
            let calls = figures.perScenario(iterations)
            lines += [
                "scenario \(figures.scenario.name): \(figures.scenario.description) — \(count(calls.outer)) outer calls, "
                    + "\(count(calls.hops)) hops, \(count(Double(figures.validations) / Double(iterations))) answers validated "
                    + "against their documents (counted); \(iterations) per setting",
                "  hops: " + calls.routes.map { "\($0.route)\($0.times == 1 ? "" : " ×\(count($0.times))")" }.joined(separator: ", "),
                "  setting                                p50 µs     p90 µs     p99 µs  scenarios/s",
            ]
            for (setting, timing) in figures.timings {
                let p = timing.percentiles
                lines.append(
                    "  \(setting.label.padding(toLength: 34, withPad: " ", startingAt: 0))\(f(p.p50)) \(f(p.p90)) \(f(p.p99))   \(f(timing.perSecond))"
                )
            }
            if let share = figures.checksShare {
                lines.append(
                    String(format: "  what the checks cost (in memory, p50 with every check − p50 without it): all together %.0f%%; ", share * 100)
                        + figures.eachShare.map { String(format: "%@ %.0f%%", $0.name, $0.share * 100) }.joined(separator: ", "))
            }
            if let json = figures.json { lines.append("  " + json.text) }
            lines.append("  where the time goes (in memory, checks on, mean per call; outer calls include their hops):")
            for route in figures.meanByRoute {
                lines.append("    \(route.route.padding(toLength: 44, withPad: " ", startingAt: 0))\(f(route.micros)) µs")
            }
        }
        for bareHop in bareHops {
            lines.append(
                "one bare hop (GET /\(bareHop.service)/health, p50): "
                    + bareHop.timings.map { String(format: "%@ %.1f µs", $0.0.label, $0.1.percentiles.p50) }.joined(separator: "; "))
        }
        lines.append(String(format: "fresh isolated stack boot, until every service has answered once: p50 %.1f µs", bootMicros))
        if let manyStacks { lines.append(manyStacks.text()) }
        return lines.joined(separator: "\n")
    }

    var figures: JSON {
        func p50s(_ bare: BareHop) -> JSON {
            settings(bare.timings).object.map { modes in
                JSON.object(modes.mapValues { .object(($0.object ?? [:]).mapValues { $0["p50_us"] }) })
            } ?? .null
        }
        func settings(_ timings: [(BenchSetting, Timing)]) -> JSON {
            var modes: [String: JSON] = [:]
            for (setting, timing) in timings {
                let p = timing.percentiles
                let key = setting.mode.description
                var mode = modes[key]?.object ?? [:]
                mode[setting.key] = [
                    "p50_us": .number(p.p50), "p90_us": .number(p.p90), "p99_us": .number(p.p99),
                    "scenarios_per_second": .number(timing.perSecond),
                ]
                modes[key] = .object(mode)
            }
            return .object(modes)
        }
        var byName: [String: JSON] = [:]
        for figures in scenarios {
            let calls = figures.perScenario(iterations)
            byName[figures.scenario.name] = [
                "description": .string(figures.scenario.description),
                "outer_calls_per_scenario": .number(calls.outer), "hops_per_scenario": .number(calls.hops),
                "validations_per_scenario": .number(Double(figures.validations) / Double(iterations)),
                "modes": settings(figures.timings),
                "checks_share_in_memory": figures.checksShare.map(JSON.number) ?? .null,
                "check_shares_in_memory": .object(Dictionary(uniqueKeysWithValues: figures.eachShare.map { ($0.name, JSON.number($0.share)) })),
                "breakdown_in_memory_us": .object(
                    Dictionary(uniqueKeysWithValues: figures.meanByRoute.map { ($0.route, JSON.number($0.micros)) })),
                "json_per_scenario_us": figures.json.map { json in
                    [
                        "own": .number(json.ownMicros), "foundation": .number(json.foundationMicros),
                        "bodies": .number(Double(json.bodies)), "bytes": .number(Double(json.bytes)),
                    ]
                } ?? .null,
            ]
        }
        return [
            "iterations": .number(Double(iterations)), "scenarios": .object(byName),
            "bare_hop_p50_us": bareHops.first.map(p50s) ?? .null,
            "bare_hop_service": bareHops.first.map { .string($0.service.rawValue) } ?? .null,
            "bare_hops_p50_us": .object(Dictionary(uniqueKeysWithValues: bareHops.map { ($0.service.rawValue, p50s($0)) })),
            "boot_p50_us": .number(bootMicros),
            "many_stacks": manyStacks?.json ?? .null,
        ]
    }
}
