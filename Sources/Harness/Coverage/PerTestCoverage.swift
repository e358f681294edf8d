import HarnessContracts
import HarnessCore

/// Which services, files and lines each acceptance test executed, measured with a profile of its own.
public struct PerTestCoverage: Sendable {
    public struct Row: Sendable {
        /// `PaymentFlowTests/failsTheDebitWhenTheSecurityCodeFails(mode:)`.
        public var test: String
        /// `in-memory`, `loopback`, or nil for a test that does not run per mode.
        public var mode: String?
        /// Lines executed per service (or module), and the files they are in.
        public var lines: [String: Int]
        public var files: [String: Set<String>]
        public var passed: Bool
    }

    public var rows: [Row]
    public var columns: [String]

    public init(rows: [Row]) {
        self.rows = rows
        columns = Set(rows.flatMap(\.lines.keys)).sorted()
    }

    /// The service or module of a source file, as the matrix's columns name them.
    public static func column(of path: String) -> String? {
        CoverageParts.part(of: path).map { String($0.split(separator: "/")[0]) }
    }

    /// A test's row: the lines it executed in each service it reached, and in the modules around them.
    ///
    /// Every test boots a whole stack, so every service's start-up runs in every test; a service counts
    /// only when the test reached it over the transport (`reached`, from the run's edges).
    /// - Parameters:
    ///   - test: the test's name.
    ///   - mode: the transport mode the test ran in, for a test run once per mode.
    ///   - passed: whether the test passed.
    ///   - coverage: the test's own profile.
    ///   - services: the system's services, to tell them from modules such as ServiceKit.
    ///   - reached: the services the test called over the transport.
    public static func row(
        test: String, mode: String?, passed: Bool, coverage: CoverageData,
        services: Set<ServiceName>, reached: Set<ServiceName>
    ) -> Row {
        var lines: [String: Int] = [:]
        var files: [String: Set<String>] = [:]
        for file in coverage.files.values {
            guard let column = column(of: file.path) else { continue }
            let service = ServiceName(column.lowercased())
            if services.contains(service), !reached.contains(service) { continue }
            let hit = file.lines.values.filter { $0 > 0 }.count
            guard hit > 0 else { continue }
            lines[column, default: 0] += hit
            files[column, default: []].insert(file.path)
        }
        return Row(test: test, mode: mode, lines: lines, files: files, passed: passed)
    }

    public var text: String {
        let width = min(78, (rows.map { $0.label.count }.max() ?? 10) + 2)
        var lines = [
            "lines each acceptance test executed, per service:",
            "".padding(toLength: width, withPad: " ", startingAt: 0)
                + columns.map { $0.prefix(10).padding(toLength: 11, withPad: " ", startingAt: 0) }.joined(),
        ]
        for row in rows {
            var line = String(row.label.prefix(width - 1)).padding(toLength: width, withPad: " ", startingAt: 0)
            for column in columns {
                line += (row.lines[column].map(String.init) ?? "·").padding(toLength: 11, withPad: " ", startingAt: 0)
            }
            lines.append(line + (row.passed ? "" : " FAILED"))
        }
        return lines.joined(separator: "\n")
    }

    public var json: JSON {
        .array(
            rows.map { row in
                [
                    "test": .string(row.test), "mode": row.mode.map(JSON.string) ?? .null, "passed": .bool(row.passed),
                    "lines": .object(row.lines.mapValues { .number(Double($0)) }),
                    "files": .object(row.files.mapValues { .array($0.sorted().map(JSON.string)) }),
                ]
            })
    }
}

extension PerTestCoverage.Row {
    public var label: String { mode.map { "\(test) [\($0)]" } ?? test }
}
