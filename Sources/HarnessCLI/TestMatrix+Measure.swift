import Foundation
import Harness
import NIOCore
import ServiceKit

extension TestMatrix {
    /// Runs every acceptance test in a process of its own, once per mode, each writing its own profile,
    /// and reads which lines each executed.
    static func measure(binary: String, toolchain: Toolchain, profiles: String, root: String, services: Set<ServiceName>) throws -> TestMatrix {
        try? FileManager.default.removeItem(atPath: profiles)
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        let listing = try Toolchain.run(binary, ["--testing-library", "swift-testing", "--list-tests"])
        let tests = listing.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Acceptance.") }
        guard !tests.isEmpty else { throw HarnessError("the test binary lists no acceptance tests") }
        var rows: [Row] = []
        for (index, test) in tests.enumerated() {
            let modes: [String?] = test.contains("(mode:") ? ["in-memory", "loopback"] : [nil]
            for mode in modes {
                let stem = "\(profiles)/t\(index)-\(mode ?? "once")"
                var environment = ["LLVM_PROFILE_FILE": "\(stem)-%p.profraw", "HARNESS_EDGES_FILE": "\(stem).edges"]
                environment["HARNESS_TRANSPORT"] = mode
                // A test's id continues with its source location: `…/name(mode:)/File.swift:9:6`.
                let filter = "^" + NSRegularExpression.escapedPattern(for: test) + "(/|$)"
                let result = try Toolchain.run(binary, ["--testing-library", "swift-testing", "--filter", filter], environment: environment)
                let raw = try FileManager.default.contentsOfDirectory(atPath: profiles)
                    .filter { "\(profiles)/\($0)".hasPrefix(stem + "-") }.map { "\(profiles)/\($0)" }
                try toolchain.profdata(merging: raw, into: "\(stem).profdata")
                let lcov = try toolchain.export(binary, profile: "\(stem).profdata", format: "lcov")
                let coverage = try CoverageData(summaryJSON: nil, lcov: lcov, root: root)
                let name = String(test.dropFirst("Acceptance.".count))
                let edges = try EdgeFile.read("\(stem).edges")
                let reached = Set(edges.map(\.provider) + edges.compactMap(\.consumer))
                rows.append(row(test: name, mode: mode, passed: result.status == 0, coverage: coverage, services: services, reached: reached))
            }
        }
        return TestMatrix(rows: rows)
    }
}
