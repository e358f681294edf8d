import ArgumentParser
import Foundation
import Harness

/// Builds of other commits than this one, for releasing one service beside the versions its peers run.
///
/// Every commit is built in one worktree and one scratch path kept between builds (`<builds>/src`,
/// `<builds>/scratch`), so a build after the first recompiles only what changed between the commits; the
/// `harness` it makes is kept as `<builds>/bin/<commit>/harness`, and a commit already built is not built again.
struct ReleaseBuilds {
    let directory: URL

    /// `$HARNESS_RELEASE_BUILDS`, as the pipeline sets it for every command of a run, else `.build-releases`.
    static var defaultDirectory: String { ProcessInfo.processInfo.environment["HARNESS_RELEASE_BUILDS"] ?? ".build-releases" }

    init(_ path: String) {
        directory = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var source: URL { directory.appendingPathComponent("src", isDirectory: true) }
    var scratch: URL { directory.appendingPathComponent("scratch", isDirectory: true) }

    /// The full id of `commit` in the repository of the working directory, or why there is none.
    static func resolve(_ commit: String) throws -> String {
        let result = try Processes.run("/usr/bin/env", ["git", "rev-parse", "--verify", "--quiet", "\(commit)^{commit}"])
        let id = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, id.count == 40 else { throw HarnessError("no commit \(commit) in the repository here (git rev-parse found none)") }
        return id
    }

    /// What a commit's build left: its `harness`, and its test binary when the tests were built.
    struct Built {
        var commit: String
        var harness: String
        var tests: String?
    }

    /// `harness` built from `commit` (with `tests`, the package's test binary too), built now unless it was
    /// before; both kept in `bin/<commit>/`, so each commit's suites run later whatever the scratch path holds.
    /// The worktree is left at `commit`.
    func build(_ commit: String, tests: Bool = false) throws -> Built {
        let id = try Self.resolve(commit)
        let kept = directory.appendingPathComponent("bin/\(id)", isDirectory: true)
        let harness = kept.appendingPathComponent("harness").path
        let testBinary = kept.appendingPathComponent("PackageTests.xctest").path
        let have = FileManager.default.isExecutableFile(atPath: harness) && (!tests || FileManager.default.isExecutableFile(atPath: testBinary))
        // Checked out even when built before: the worktree is where the commit's own files are read.
        try checkout(id)
        if !have {
            // SwiftPM plans a build again only when it sees the manifest change; a commit whose build plugins
            // differ from the last one's must be planned with its own.
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: source.appendingPathComponent("Package.swift").path)
            print("harness: building \(id.prefix(12)) in \(scratch.path)\(tests ? " with its tests" : "")")
            fflush(nil)
            // Not instrumented for coverage, whatever this process's build was.
            let build = try Processes.run(
                "/usr/bin/env",
                ["-u", "HARNESS_COVERAGE", "swift", "build", "--package-path", source.path, "--scratch-path", scratch.path]
                    + (tests ? ["--build-tests"] : ["--product", "harness"]))
            guard build.status == 0 else {
                let tail = build.output.split(separator: "\n").suffix(15).joined(separator: "\n")
                throw HarnessError("the build of \(id.prefix(12)) failed:\n\(tail)")
            }
            try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
            try keep(scratch.appendingPathComponent("debug/harness").path, as: harness)
            if tests {
                let debug = scratch.appendingPathComponent("debug").path
                let built = (try FileManager.default.contentsOfDirectory(atPath: debug)).filter { $0.hasSuffix("PackageTests.xctest") }
                guard built.count == 1 else { throw HarnessError("the build of \(id.prefix(12)) left no single test binary in \(debug)") }
                try keep("\(debug)/\(built[0])", as: testBinary)
            }
        }
        return Built(commit: id, harness: harness, tests: FileManager.default.isExecutableFile(atPath: testBinary) ? testBinary : nil)
    }

    private func keep(_ path: String, as kept: String) throws {
        try? FileManager.default.removeItem(atPath: kept)
        try FileManager.default.copyItem(atPath: path, toPath: kept)
    }

    /// The worktree at `commit`, made the first time.
    private func checkout(_ commit: String) throws {
        let git: [String]
        if FileManager.default.fileExists(atPath: source.appendingPathComponent(".git").path) {
            git = ["git", "-C", source.path, "checkout", "--quiet", "--force", "--detach", commit]
        } else {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            _ = try Processes.run("/usr/bin/env", ["git", "worktree", "prune"])
            git = ["git", "worktree", "add", "--quiet", "--force", "--detach", source.path, commit]
        }
        let result = try Processes.run("/usr/bin/env", git)
        guard result.status == 0 else { throw HarnessError("cannot check \(commit.prefix(12)) out into \(source.path): \(result.output)") }
    }
}

/// Which build a deploy runs for one service: this one, another executable, or one made from a commit.
struct CandidateBuild: ParsableArguments {
    @Option(help: "The one service to deploy or roll (the others keep the builds they run).")
    var service: String?

    @Option(help: "The harness executable to run it from (default: this one).")
    var build: String?

    @Option(help: "A commit to build the harness from, in the scratch path of --builds, and run it from.")
    var commit: String?

    @Option(
        help:
            "Where builds of other commits are made and kept (a worktree, one scratch path, the binaries); default $HARNESS_RELEASE_BUILDS, else .build-releases."
    )
    var builds = ReleaseBuilds.defaultDirectory

    func validate() throws {
        if let service, !DeployEnvironment.startOrder.map(\.rawValue).contains(service) || service == "processor" {
            throw ValidationError(
                "--service \(service): expected one of \(DeployEnvironment.startOrder.map(\.rawValue).filter { $0 != "processor" }.joined(separator: ", "))"
            )
        }
        if build != nil, commit != nil { throw ValidationError("--build and --commit name the same thing: give one") }
        if let build, !FileManager.default.isExecutableFile(atPath: build) { throw ValidationError("--build \(build) is not an executable") }
    }

    /// The executable: `--build`, the build of `--commit`, or this one.
    func executable() throws -> String {
        if let build { return URL(fileURLWithPath: build).standardizedFileURL.path }
        if let commit { return try ReleaseBuilds(builds).build(commit).harness }
        return Instances.currentBuild
    }

    /// Whether `service` is one this deploy places (all of them without `--service`).
    func places(_ service: String) -> Bool { self.service == nil || self.service == service }
}
