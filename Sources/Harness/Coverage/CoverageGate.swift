import Foundation
import HarnessContracts
import NIOCore

/// Minimum coverage per part and per run, from a checked-in config, as Jest's `coverageThreshold` does.
///
/// ```json
/// {"unit": {"*/Models": {"lines": 95}, "*/Controllers": {"lines": 95}},
///  "acceptance": {"Fraud": {"lines": 80}},
///  "edges": {"every_client_route": true}}
/// ```
/// Each glob names rows of the report (`Payments/Models`, `Fraud`, `ServiceKit`); every row it matches
/// must reach each minimum given (`lines`, `functions`, `regions`, in percent).
public struct CoverageGate: Sendable {
    public struct Rule: Sendable {
        public var run: String
        public var glob: String
        public var minimums: [String: Double]
    }

    public var rules: [Rule]
    /// Whether every route a service's clients declare must be exercised by the acceptance run.
    public var everyClientRoute: Bool

    public init(config: ByteBuffer) throws {
        let json: JSON
        do { json = try JSON(parsing: config) } catch { throw HarnessError("the coverage config is not JSON: \(error)") }
        var rules: [Rule] = []
        for run in ["unit", "acceptance", "all"] {
            for (glob, bars) in (json[run].object ?? [:]).sorted(by: { $0.key < $1.key }) {
                var minimums: [String: Double] = [:]
                for (metric, value) in bars.object ?? [:] {
                    guard ["lines", "functions", "regions"].contains(metric), let number = value.number, (0...100).contains(number) else {
                        throw HarnessError("coverage config: \(run).\(glob).\(metric) must be lines, functions or regions, from 0 to 100")
                    }
                    minimums[metric] = number
                }
                rules.append(Rule(run: run, glob: glob, minimums: minimums))
            }
        }
        self.rules = rules
        self.everyClientRoute = json["edges"]["every_client_route"].bool ?? false
    }

    /// Each part that falls short: `unit: Fraud/Controllers: 94.47% lines < 95%`.
    public func failures(_ table: CoverageTable) -> [String] {
        rules.flatMap { rule in
            table.rows.filter { CoverageParts.matches($0.name, rule.glob) }.flatMap { row -> [String] in
                guard let summary = row.runs[rule.run] else { return [] }
                return rule.minimums.sorted(by: { $0.key < $1.key }).compactMap { metric, minimum in
                    let count =
                        switch metric {
                        case "functions": summary.functions
                        case "regions": summary.regions
                        default: summary.lines
                        }
                    guard count.percent < minimum else { return nil }
                    return String(format: "%@: %@: %.2f%% %@ < %g%%", rule.run, row.name, count.percent, metric, minimum)
                }
            }
        }
    }
}

/// Coverage per part (rows) and per run (unit, acceptance, all).
public struct CoverageTable: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var runs: [String: CoverageData.Summary]
    }

    public static let runs = ["unit", "acceptance", "all"]
    public var rows: [Row]

    public init(_ data: [String: CoverageData]) {
        let paths = Set(data.values.flatMap(\.files.keys))
        rows = CoverageParts.rows(of: paths).map { name, include in
            Row(name: name, runs: data.mapValues { $0.summary(where: include) })
        }
    }

    /// The table a person reads: lines, functions and regions, for each run.
    public var text: String {
        func cell(_ count: CoverageData.Count?) -> String {
            guard let count, count.total > 0 else { return "     -" }
            return String(format: "%6.1f", count.percent)
        }
        let width = max(24, (rows.map(\.name.count).max() ?? 0) + 2)
        var lines = [
            "".padding(toLength: width, withPad: " ", startingAt: 0)
                + Self.runs.map { "\($0.padding(toLength: 20, withPad: " ", startingAt: 0)) " }.joined(),
            "part".padding(toLength: width, withPad: " ", startingAt: 0)
                + String(repeating: " lines  funcs  regns ", count: Self.runs.count),
        ]
        for row in rows {
            let indent = row.name.contains("/") ? "  " : ""
            var line = (indent + row.name).padding(toLength: width, withPad: " ", startingAt: 0)
            for run in Self.runs {
                let summary = row.runs[run]
                line += "\(cell(summary?.lines)) \(cell(summary?.functions)) \(cell(summary?.regions))  "
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public var json: JSON {
        .array(
            rows.map { row in
                var runs: [String: JSON] = [:]
                for (run, summary) in row.runs {
                    func count(_ count: CoverageData.Count) -> JSON {
                        ["covered": .number(Double(count.covered)), "total": .number(Double(count.total)), "percent": .number(count.percent)]
                    }
                    runs[run] = ["lines": count(summary.lines), "functions": count(summary.functions), "regions": count(summary.regions)]
                }
                return ["part": .string(row.name), "runs": .object(runs)]
            })
    }
}
