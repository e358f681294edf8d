import Foundation
import Harness
import NIOCore

extension PerTestCoverage {
    /// Runs every acceptance test in a process of its own, once per mode, each writing its own profile,
    /// and reads which lines each executed.
    static func measure(binary: TestBinary, suites: String, toolchain: Toolchain, profiles: String, root: String, services: Set<ServiceName>) throws
        -> PerTestCoverage
    {
        try? FileManager.default.removeItem(atPath: profiles)
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        var rows: [Row] = []
        for (index, test) in try binary.tests(matching: suites).enumerated() {
            let modes: [String?] = test.contains("(mode:") ? ["in-memory", "loopback"] : [nil]
            for mode in modes {
                let stem = "\(profiles)/t\(index)-\(mode ?? "once")"
                var environment = ["LLVM_PROFILE_FILE": "\(stem)-%p.profraw", "HARNESS_EDGES_FILE": "\(stem).edges"]
                environment["HARNESS_TRANSPORT"] = mode
                let result = try binary.runAlone(test, environment: environment)
                let raw = try FileManager.default.contentsOfDirectory(atPath: profiles)
                    .filter { "\(profiles)/\($0)".hasPrefix(stem + "-") }.map { "\(profiles)/\($0)" }
                try toolchain.profdata(merging: raw, into: "\(stem).profdata")
                let lcov = try toolchain.export(binary.path, profile: "\(stem).profdata", format: "lcov")
                let coverage = try CoverageData(summaryJSON: nil, lcov: lcov, root: root)
                let name = String(test.drop { $0 != "." }.dropFirst())  // without its module
                let edges = try EdgeFile.read("\(stem).edges")
                let reached = Set(edges.map(\.provider) + edges.compactMap(\.consumer))
                rows.append(row(test: name, mode: mode, passed: result.status == 0, coverage: coverage, services: services, reached: reached))
            }
        }
        return PerTestCoverage(rows: rows)
    }
}
