import ArgumentParser
import Foundation
import GRDB
import Harness
import HarnessCommands
import PaymentsSystem
import ServiceKit

/// `harness migrate`: the build's database migrations, tried before they meet production.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Database migrations: rehearse the build's pending ones on a copy of production's data.", subcommands: [Rehearse.self])

    struct Rehearse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Copy each service's database (SQLite online backup; production is only read), apply the build's pending migrations to the copy, run SQLite's integrity and foreign-key checks, and report per service and migration."
        )

        @Option(help: "Production's data directory (the services' <name>.sqlite files).")
        var from: String

        @Option(help: "Where the rehearsed copies are written and kept (default: a temporary directory, removed afterwards).")
        var into: String?

        @Option(name: .customLong("only"), help: "A service whose migrations alone are rehearsed (one service's release). Repeatable.")
        var only: [String] = []

        @Option(
            name: .customLong("old"),
            help:
                "SERVICE=COMMIT: the build that runs now, whose statements (contracts/statements/SERVICE.sql at COMMIT) must still compile on the migrated schema. Repeatable."
        )
        var old: [String] = []

        @Option(
            name: .customLong("candidate"),
            help: "SERVICE=FILE.sql: a migration not yet in the build, rehearsed after the build's own, named after the file. Repeatable.")
        var candidates: [String] = []

        func run() throws {
            let scratch =
                into.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("harness-rehearsal-\(UUID().uuidString)")
            // The copies are production's data: kept only where the user asked for them.
            defer { if into == nil { try? FileManager.default.removeItem(at: scratch) } }
            let running = try Git.commits(old, option: "--old", of: Set(SystemUnderTest.payments.migrations.keys), "a service with migrations")
            for name in only where SystemUnderTest.payments.migrations[ServiceName(name)] == nil {
                throw ValidationError("--only \(name): no service with migrations by that name")
            }
            let report = try Self.rehearse(
                from: URL(fileURLWithPath: from, isDirectory: true).standardizedFileURL, into: scratch,
                candidates: try candidates.map(Self.candidate), only: only.map { ServiceName($0) }, running: try Self.oldBuilds(running),
                kept: into != nil)
            guard report.failure == nil else { throw HarnessError("rehearsal failed: \(report.failure!)") }
        }

        /// Rehearses the build's migrations (and `candidates`), printing the report; used by `deploy` too.
        /// - Parameter kept: whether the copies stay in `scratch` afterwards, as the report then says.
        /// - Parameter running: the builds that run now, whose statements must compile on the migrated schema.
        /// - Parameter only: the services whose migrations are rehearsed; all of them when empty.
        static func rehearse(
            from source: URL, into scratch: URL, candidates: [(ServiceName, String, String)] = [], only: [ServiceName] = [],
            running: [ServiceName: OldBuild] = [:], kept: Bool = true
        ) throws -> RehearsalReport {
            var migrations = SystemUnderTest.payments.migrations.filter { only.isEmpty || only.contains($0.key) }
            for (service, name, sql) in candidates {
                guard migrations[service] != nil else { throw ValidationError("--candidate \(service)=…: --only leaves \(service) out") }
                migrations[service]!.registerMigration(name) { db in try db.execute(sql: sql) }
            }
            print("harness: rehearsing migrations on a copy of \(source.path) (copies in \(scratch.path)\(kept ? "" : ", removed afterwards"))")
            let report = try MigrationRehearsal(migrations: migrations, running: running).run(from: source, into: scratch)
            report.lines.forEach { print($0) }
            let count = report.services.reduce(0) { $0 + $1.migrations.count }
            if report.failure == nil {
                print(
                    "harness: rehearsal passed: \(count) migration\(count == 1 ? "" : "s") on \(report.services.count) database\(report.services.count == 1 ? "" : "s"); \(source.path) was only read"
                )
            }
            fflush(nil)
            return report
        }

        /// The statements of the builds `commits` name, per service: `contracts/statements/<service>.sql` at each commit.
        static func oldBuilds(_ commits: [ServiceName: Set<String>]) throws -> [ServiceName: OldBuild] {
            guard !commits.isEmpty else { return [:] }
            guard FileManager.default.fileExists(atPath: "contracts") else {
                print("harness: no contracts/ here: the running builds' statements are not checked against the new schema")
                return [:]
            }
            var builds: [ServiceName: OldBuild] = [:]
            for (service, versions) in commits where SystemUnderTest.payments.migrations[service] != nil {
                var statements: Set<String> = []
                var named: [String] = []
                for commit in versions.sorted() {
                    let text: String?
                    do {
                        text = try Git.show(commit, "statements/\(service).sql", in: "contracts")
                    } catch {
                        print("harness: \(service)'s statements at \(commit.prefix(12)) cannot be read (\(error)): they are not checked")
                        continue
                    }
                    guard let text else {
                        print(
                            "harness: \(service) at \(commit.prefix(12)) keeps no contracts/statements/\(service).sql: its statements are not checked"
                        )
                        continue
                    }
                    statements.formUnion(StatementCatalogue.parse(text))
                    named.append(String(((try? ReleaseBuilds.resolve(commit)) ?? commit).prefix(12)))
                }
                if !named.isEmpty { builds[service] = OldBuild(version: named.joined(separator: ", "), statements: statements.sorted()) }
            }
            return builds
        }

        static func candidate(_ entry: String) throws -> (ServiceName, String, String) {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let known = SystemUnderTest.payments.migrations.keys
            guard parts.count == 2, known.contains(ServiceName(parts[0])) else {
                throw ValidationError(
                    "--candidate \(entry): expected SERVICE=FILE.sql with SERVICE one of \(known.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            guard let data = FileManager.default.contents(atPath: parts[1]) else {
                throw HarnessError("cannot read the candidate migration \(parts[1])")
            }
            let name = URL(fileURLWithPath: parts[1]).deletingPathExtension().lastPathComponent
            guard !SystemUnderTest.payments.migrations[ServiceName(parts[0])]!.migrations.contains(name) else {
                throw HarnessError("--candidate \(entry): \(parts[0]) already has a migration named \(name)")
            }
            return (ServiceName(parts[0]), name, String(decoding: data, as: UTF8.self))
        }
    }
}
