import Foundation
import HarnessContracts
import Synchronization

/// Each distinct drift a run met, once, with the tests it broke: what a reader looks at first.
///
/// One renamed field breaks every test whose path crosses it; printing its diagnosis in each would bury
/// it. Stacks report their drift here as they go (`HarnessConfiguration.drifts`), each test still
/// fails pointing here, and the run prints `rendered` last (the suites' support code does it at exit;
/// `harness contracts verify` prints the same from the run's JSON report).
public final class DriftSummary: Sendable {
    private let seen = Mutex<[String: (drift: Drift, tests: Set<String>)]>([:])
    private let currentTest: @Sendable () -> String?

    /// - Parameter currentTest: names the test that is running, to count the tests a drift broke.
    public init(currentTest: @escaping @Sendable () -> String? = { nil }) {
        self.currentTest = currentTest
    }

    public func record(_ drifts: [Drift]) {
        guard !drifts.isEmpty else { return }
        let test = currentTest() ?? "a stack outside any test"
        seen.withLock { seen in
            for drift in drifts { seen[drift.identity, default: (drift, [])].tests.insert(test) }
        }
    }

    /// Each distinct drift and the tests it broke, the most damaging first.
    public var entries: [(drift: Drift, tests: [String])] {
        seen.withLock { $0.values.map { ($0.drift, $0.tests.sorted()) } }
            .sorted { ($0.tests.count, $1.drift.description) > ($1.tests.count, $0.drift.description) }
    }

    public var isEmpty: Bool { seen.withLock { $0.isEmpty } }

    /// The summary a person reads, or nil when the run met no drift.
    public var rendered: String? { Self.render(entries) }

    public static func render(_ entries: [(drift: Drift, tests: [String])]) -> String? {
        guard !entries.isEmpty else { return nil }
        let tests = Set(entries.flatMap(\.tests)).count
        let breaking = tests == 0 ? "" : ", breaking \(tests) test\(tests == 1 ? "" : "s")"
        var lines = ["", "=== contract drift: \(entries.count) distinct\(breaking)"]
        for (drift, broken) in entries {
            lines.append("• \(drift)")
            let tests =
                broken.isEmpty
                ? ""
                : " broke \(broken.count) test\(broken.count == 1 ? "" : "s"): "
                    + broken.prefix(3).joined(separator: ", ") + (broken.count > 3 ? ", …" : "")
            lines.append("  [\(drift.kind.code)]\(tests)")
        }
        return lines.joined(separator: "\n")
    }

    /// `{"drift": [{…, "tests": [...]}]}`: the report a tool reads (`HARNESS_DRIFT_REPORT`).
    public var json: JSON {
        [
            "drift": .array(
                entries.map { entry in
                    var object = entry.drift.json.object ?? [:]
                    object["tests"] = .array(entry.tests.map(JSON.string))
                    return .object(object)
                })
        ]
    }

    /// The entries of a report written from `json`.
    public static func entries(_ report: JSON) -> [(drift: Drift, tests: [String])] {
        (report["drift"].array ?? []).compactMap { item in Drift(json: item).map { ($0, item["tests"].strings) } }
    }
}

extension DriftSummary {
    private static let shared = Mutex<(summary: DriftSummary, reportFile: String?)?>(nil)

    /// The summary of this test process, made by the first caller: every suite of the process reports to
    /// it, and it is printed last, when the process exits.
    static func process(reportFile: String?, currentTest: @escaping @Sendable () -> String?) -> DriftSummary {
        shared.withLock { shared in
            if let shared { return shared.summary }
            let summary = DriftSummary(currentTest: currentTest)
            shared = (summary, reportFile.flatMap { $0.isEmpty ? nil : $0 })
            atexit { DriftSummary.report() }
            return summary
        }
    }

    private static func report() {
        guard let (summary, reportFile) = shared.withLock({ $0 }) else { return }
        if let reportFile { try? (String(buffer: summary.json.encoded()) + "\n").write(toFile: reportFile, atomically: true, encoding: .utf8) }
        if let rendered = summary.rendered {
            FileHandle.standardOutput.write(Data((rendered + "\n").utf8))
        }
    }
}
