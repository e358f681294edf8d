import ArgumentParser
import Foundation
import Harness
import NIOCore

/// `coverage`: the suites with coverage on, per service and layer, per test and per edge, gated.
struct Coverage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure cross-service coverage (unit, acceptance, both), write reports, and enforce coverage.json.")

    @Option(help: "Build directory for the coverage build, so the normal one stays warm.")
    var scratchPath = ".build-cov"

    @Option(help: "The gate: globs of parts to minimum percentages.")
    var config = "coverage.json"

    @Option(help: "Directory the reports are written to.")
    var output = "coverage"

    @Flag(inversion: .prefixedNo, help: "Run every acceptance test in its own process to attribute lines to tests.")
    var perTest = true

    @Option(help: "Also list lines changed since this git revision that no test executes.")
    var changedSince: String?

    @Flag(help: "Use the coverage build as it is.")
    var skipBuild = false

    @Option(
        name: .customLong("part"),
        help:
            "Gate only this part and the parts under it (Fraud: Fraud, Fraud/Models, …), as one service's release does; repeatable. Every part is still measured and reported."
    )
    var parts: [String] = []

    func run() async throws {
        let root = FileManager.default.currentDirectoryPath
        guard FileManager.default.fileExists(atPath: "\(root)/Package.swift") else {
            throw HarnessError("run \(HarnessTool.current.name) coverage from the package's root (no Package.swift in \(root))")
        }
        guard let configData = FileManager.default.contents(atPath: config) else {
            throw HarnessError("cannot read the coverage config \(config)")
        }
        let gate = try CoverageGate(config: ByteBuffer(bytes: configData))
        if let changedSince {
            let check = try Toolchain.run("/usr/bin/env", ["git", "rev-parse", "--verify", "--quiet", "\(changedSince)^{commit}"])
            guard check.status == 0 else { throw HarnessError("--changed-since \(changedSince) is not a revision of this repository") }
        }
        let toolchain = try Toolchain()
        let started = ContinuousClock.now
        if !skipBuild { note("building the tests with coverage in \(scratchPath)") }
        let tests = try TestBinary(scratchPath: scratchPath, coverage: true, build: !skipBuild)
        let binary = tests.path
        let out = URL(fileURLWithPath: output, isDirectory: true).path
        let profiles = "\(out)/profiles"
        try? FileManager.default.removeItem(atPath: profiles)
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        let edgesFile = "\(out)/edges.jsonl"
        try? FileManager.default.removeItem(atPath: edgesFile)

        var failures: [String] = []
        var data: [String: CoverageData] = [:]
        var profileOf: [String: String] = [:]
        let tool = HarnessTool.current
        // A package without unit suites has no unit run: its unit column is empty, "all" is the acceptance run.
        for (run, filter) in [("unit", tool.unitSuites), ("acceptance", tool.acceptanceSuites)] {
            guard let filter else { continue }
            note("running the \(run) tests")
            var environment = ["LLVM_PROFILE_FILE": "\(profiles)/\(run)-%p.profraw"]
            if run == "acceptance" { environment["HARNESS_EDGES_FILE"] = edgesFile }
            let result = try tests.run(filter, environment: environment, arguments: ["--xunit-output", "\(out)/junit-\(run).xml"])
            if result.status != 0 {
                failures.append("\(run) tests failed: \(result.failures)")
            }
            profileOf[run] = "\(profiles)/\(run).profdata"
            try toolchain.profdata(merging: try Self.rawProfiles(in: profiles, prefix: "\(run)-"), into: profileOf[run]!)
        }
        profileOf["all"] = "\(profiles)/all.profdata"
        try toolchain.profdata(merging: [profileOf["unit"], profileOf["acceptance"]].compactMap { $0 }, into: profileOf["all"]!)
        var lcovAll = ""
        for run in CoverageTable.runs where profileOf[run] != nil {
            let summary = try toolchain.export(binary, profile: profileOf[run]!, format: "text", summaryOnly: true)
            let lcov = try toolchain.export(binary, profile: profileOf[run]!, format: "lcov")
            if run == "all" { lcovAll = lcov }
            data[run] = try CoverageData(summaryJSON: ByteBuffer(string: summary), lcov: lcov, root: root)
        }
        let table = CoverageTable(data)
        print(table.text)

        let edges = EdgeReport(observed: try EdgeFile.read(edgesFile), catalog: try SystemCatalog(tool.system))
        print("\n" + edges.text)

        var matrix: PerTestCoverage?
        if perTest {
            note("running each acceptance test alone, once per mode")
            let began = ContinuousClock.now
            matrix = try PerTestCoverage.measure(
                binary: tests, suites: tool.acceptanceSuites, toolchain: toolchain, profiles: "\(profiles)/tests", root: root,
                services: Set(tool.system.names))
            print("\n" + matrix!.text)
            print(String(format: "per-test attribution: %d runs in %.1f s", matrix!.rows.count, (ContinuousClock.now - began).seconds))
        }

        var diff: DiffCoverage?
        if let changedSince {
            diff = try DiffCoverage(since: changedSince, coverage: data["all"]!)
            print("\n" + diff!.text)
        }

        let reports = CoverageReports(table: table, data: data, edges: edges, matrix: matrix, diff: diff)
        let written = try reports.write(to: out, lcov: lcovAll, root: root)
        print("\nreports: \(written.joined(separator: ", "))")

        var gated = table
        if !parts.isEmpty { gated.rows = table.rows.filter { row in parts.contains { row.name == $0 || row.name.hasPrefix($0 + "/") } } }
        guard parts.isEmpty || !gated.rows.isEmpty else {
            throw HarnessError(
                "--part \(parts.joined(separator: ", ")) names no part of the table: \(table.rows.map(\.name).joined(separator: ", "))")
        }
        failures += gate.failures(gated)
        if gate.everyClientRoute {
            failures += edges.unexercised.map { "edge: \($0) is never exercised by the acceptance suites" }
        }
        print(String(format: "\(tool.name) coverage took %.1f s", (ContinuousClock.now - started).seconds))
        guard failures.isEmpty else {
            print("\ncoverage gate failed:")
            failures.forEach { print("  \($0)") }
            throw ExitCode(1)
        }
        print("coverage gate passed (\(config)\(parts.isEmpty ? "" : ", for \(gated.rows.map(\.name).joined(separator: ", "))"))")
    }

    func note(_ text: String) {
        FileHandle.standardError.write(Data("\(HarnessTool.current.name) coverage: \(text)\n".utf8))
    }

    static func rawProfiles(in directory: String, prefix: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".profraw") }.sorted()
        guard !names.isEmpty else { throw HarnessError("the tests wrote no profile (\(prefix)*.profraw in \(directory))") }
        return names.map { "\(directory)/\($0)" }
    }
}

extension Duration {
    var seconds: Double { microseconds / 1_000_000 }
}
