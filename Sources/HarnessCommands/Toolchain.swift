import Foundation
import Harness

/// Runs the programs `coverage` and `contracts` drive: swift, the test binary, and the toolchain's llvm tools.
struct Toolchain {
    /// The toolchain's `usr/bin`: its own llvm tools, as a system's older LLVM cannot read its profiles.
    let bin: String

    /// The toolchain of the `swift` on `PATH`, wherever its links lead, or on macOS the one `xcrun` finds;
    /// a directory counts when it holds the compiler and `llvm-cov` beside `swift`.
    init() throws {
        var candidates = ProcessInfo.processInfo.environment["PATH", default: ""].split(separator: ":").map { "\($0)/swift" }
            .filter { FileManager.default.isExecutableFile(atPath: $0) }
            .map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent().path }
        #if os(macOS)
            if let found = try? Self.run("/usr/bin/xcrun", ["--find", "swift"]), found.status == 0 {
                candidates.append(URL(fileURLWithPath: found.output.trimmingCharacters(in: .whitespacesAndNewlines)).deletingLastPathComponent().path)
            }
        #endif
        let tools = ["swift", "swift-frontend", "llvm-cov", "llvm-profdata"]
        guard let bin = candidates.first(where: { bin in tools.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)") } })
        else {
            throw HarnessError(
                "no Swift toolchain with llvm-cov on PATH (looked in \(candidates.isEmpty ? "none: no swift on PATH" : candidates.joined(separator: ", "))); "
                    + "put a full toolchain's usr/bin first on PATH")
        }
        self.bin = bin
    }

    struct Result {
        var status: Int32
        /// What the program wrote to stdout.
        var output: String
        /// What it wrote to stderr.
        var errors: String

        /// A failed test run's failing tests and issues (swift-testing reports on stderr), else its last line.
        var failures: String {
            let failed = errors.split(separator: "\n").filter { $0.hasPrefix("✘ Test") && $0.contains("recorded an issue") }
            guard failed.isEmpty else { return failed.prefix(3).joined(separator: "; ") + (failed.count > 3 ? "; …" : "") }
            return String((errors + output).split(separator: "\n").last ?? "no output, exit status \(status)")
        }
    }

    /// Runs a program to the end, collecting stdout (stderr goes to a file read afterwards, so neither
    /// pipe can fill while the other is read).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("harness-stderr-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: errorPath, contents: nil) else { throw HarnessError("cannot create \(errorPath)") }
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        do {
            try process.run()
        } catch {
            throw HarnessError("cannot run \(executable): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), errors: errors)
    }

    func profdata(merging inputs: [String], into output: String) throws {
        let result = try Self.run("\(bin)/llvm-profdata", ["merge", "-sparse"] + inputs + ["-o", output])
        guard result.status == 0 else { throw HarnessError("llvm-profdata merge failed: \(result.errors.prefix(300))") }
    }

    /// `llvm-cov export` of the package's own sources (no dependencies, no tests, no generated code in a
    /// `Generated` folder, as the example keeps swift-openapi-generator's) in `format`.
    func export(_ binary: String, profile: String, format: String, summaryOnly: Bool = false) throws -> String {
        var arguments = [
            "export", binary, "-instr-profile", profile, "-format=\(format)",
            "-ignore-filename-regex=(\\.build[^/]*/|/Tests/|/checkouts/|/Generated/)",
        ]
        if summaryOnly { arguments.append("-summary-only") }
        let result = try Self.run("\(bin)/llvm-cov", arguments)
        guard result.status == 0 else { throw HarnessError("llvm-cov export failed: \(result.errors.prefix(300))") }
        return result.output
    }
}
