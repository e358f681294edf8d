import Foundation
import Harness

/// A package's test binary, as `coverage` and `contracts` build and run it directly, so
/// each run can have its own environment (a profile file, a contracts file, one transport). This
/// package's by default; a team's own with `--package-path` (the binary is the one SwiftPM names
/// `<Package>PackageTests.xctest`, whatever the package is called).
struct TestBinary {
    /// Where a package's tests are built.
    struct Location {
        var package = "."
        var scratchPath = ".build"

        /// The scratch path as SwiftPM reads it: relative to the package.
        var scratch: String { scratchPath.hasPrefix("/") ? scratchPath : "\(package)/\(scratchPath)" }
    }

    let path: String
    let location: Location

    /// Builds the tests at `location`, instrumented for coverage if asked, unless `build` is false.
    init(_ location: Location, coverage: Bool = false, build: Bool = true) throws {
        guard FileManager.default.fileExists(atPath: "\(location.package)/Package.swift") else {
            throw HarnessError("no Package.swift in \(location.package): --package-path names the package whose tests run the suites")
        }
        self.location = location
        if build {
            let toolchain = try Toolchain()
            let arguments =
                ["build", "--build-tests", "--package-path", location.package, "--scratch-path", location.scratch]
                + (coverage ? ["--enable-code-coverage"] : [])
            let result = try Toolchain.run("\(toolchain.bin)/swift", arguments)
            guard result.status == 0 else {
                let errors = result.output.split(separator: "\n").filter { $0.contains("error") }.prefix(3)
                throw HarnessError("the test build in \(location.scratch) failed: \(errors.joined(separator: "; "))")
            }
        }
        let debug = "\(location.scratch)/debug"
        let binaries = ((try? FileManager.default.contentsOfDirectory(atPath: debug)) ?? []).filter { $0.hasSuffix("PackageTests.xctest") }
        guard binaries.count == 1, FileManager.default.isExecutableFile(atPath: "\(debug)/\(binaries[0])") else {
            throw HarnessError(
                binaries.isEmpty
                    ? "no test binary (*PackageTests.xctest) in \(debug); build the tests first"
                    : "\(debug) holds several test binaries (\(binaries.sorted().joined(separator: ", "))); clean it")
        }
        path = "\(debug)/\(binaries[0])"
    }

    init(scratchPath: String, coverage: Bool = false, build: Bool = true) throws {
        try self.init(Location(scratchPath: scratchPath), coverage: coverage, build: build)
    }

    /// Runs the tests whose ids match `filter` (a regular expression).
    func run(_ filter: String, environment: [String: String] = [:], arguments: [String] = []) throws -> Toolchain.Result {
        try runBinary(["--filter", filter] + arguments, environment: environment)
    }

    /// The binary with `arguments`: directly on Linux; on macOS, where it is a bundle, through `swift test`.
    private func runBinary(_ arguments: [String], environment: [String: String] = [:]) throws -> Toolchain.Result {
        #if os(macOS)
            let swiftPM = ["--skip-build", "--package-path", location.package, "--scratch-path", location.scratch]
            let command = arguments == ["--list-tests"] ? ["test", "list"] + swiftPM : ["test"] + swiftPM + arguments
            return try Toolchain.run("\(try Toolchain().bin)/swift", command, environment: environment)
        #else
            return try Toolchain.run(path, ["--testing-library", "swift-testing"] + arguments, environment: environment)
        #endif
    }

    /// Runs one test, by its listed id; a test's id continues with its source location
    /// (`…/name(mode:)/File.swift:9:6`).
    func runAlone(_ test: String, environment: [String: String]) throws -> Toolchain.Result {
        try run("^" + NSRegularExpression.escapedPattern(for: test) + "(/|$)", environment: environment)
    }

    /// The ids of the tests `suites` matches (`Acceptance.PaymentFlowTests/…(mode:)`).
    func tests(matching suites: String) throws -> [String] {
        let listing = try runBinary(["--list-tests"])
        let pattern = try NSRegularExpression(pattern: suites)
        let tests = listing.output.split(separator: "\n").map(String.init).filter {
            pattern.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
        }
        guard !tests.isEmpty else { throw HarnessError("the test binary \(path) lists no test matching \(suites)") }
        return tests
    }
}
