import ArgumentParser
import Foundation
import Harness
import HarnessCommands
import PaymentsSystem
import ServiceKit

/// `harness deploy`: an environment of service processes behind HAProxy — up, down, and rolled.
struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run an environment (staging, production): each service as its own processes behind HAProxy, started after a startup check; roll it to a new build; tear it down.",
        subcommands: [Up.self, Down.self, Rolling.self, Status.self, BuildCommit.self], defaultSubcommand: Up.self)

    /// What every deploy subcommand is told about the environment.
    struct Where: ParsableArguments {
        @Option(help: "The environment: staging or production (separate data directories and ports).")
        var env = "staging"

        @Option(help: "The directory environments live in (<root>/<env>/data, haproxy.cfg, logs/, deploy.json).")
        var root = "harness-deploy"

        @Option(
            parsing: .unconditional,
            help: "The front door's port (default 18300 for staging, 18400 for production; instances take the ports after it).")
        var port: Int?

        func environment() throws -> DeployEnvironment {
            if let port, !(1...65_000).contains(port) { throw ValidationError("--port must be from 1 to 65000, not \(port)") }
            do {
                return try DeployEnvironment(name: env, root: root, port: port)
            } catch let error as HarnessError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract:
                "Rehearse the migrations on a copy of production (staging), start HAProxy and every instance, and fail in one line if one does not come up healthy."
        )

        @OptionGroup var place: Where

        @Option(parsing: .unconditional, help: "Instances of each service (the processor's sandbox runs once).")
        var instances = 2

        @Option(
            name: .customLong("peer"),
            help: "NAME=URL: a service outside the environment, e.g. processor=http://127.0.0.1:9100 for a partner's test environment. Repeatable.")
        var peers: [String] = []

        @Option(
            help:
                "Production's data directory to rehearse the build's migrations on before starting (default for staging: the production environment's, when it exists)."
        )
        var rehearseFrom: String?

        @Option(help: "Another environment (production) whose builds every service but --service runs here, as that environment runs them.")
        var like: String?

        @OptionGroup var candidate: CandidateBuild

        func validate() throws {
            if like != nil, candidate.service == nil, candidate.build != nil || candidate.commit != nil {
                throw ValidationError(
                    "--like runs every service as that environment does: name the one to place at --build or --commit with --service")
            }
            if let like, !DeployEnvironment.names.contains(like) || like == place.env {
                throw ValidationError("--like \(like): expected another environment, one of \(DeployEnvironment.names.joined(separator: ", "))")
            }
            guard (1...8).contains(instances) else { throw ValidationError("--instances must be from 1 to 8, not \(instances)") }
            _ = try place.environment()
            do { _ = try Peers(parsing: peers) } catch let error as HarnessError { throw ValidationError("--peer: \(error.description)") }
        }

        func run() async throws {
            let environment = try place.environment()
            let external = try Peers(parsing: peers)
            if let state = try environment.loadState(),
                state.instances.contains(where: { Processes.isAlive($0.pid) }) || Processes.isAlive(state.haproxyPID)
            {
                throw HarnessError(
                    "\(environment.name) is already deployed (\(environment.stateFile.path)); roll it with `harness deploy rolling` or stop it with `harness deploy down`"
                )
            }
            let production = URL(fileURLWithPath: place.root, isDirectory: true).appendingPathComponent("production/data", isDirectory: true)
            let source =
                rehearseFrom ?? (environment.name == "staging" && FileManager.default.fileExists(atPath: production.path) ? production.path : nil)
            if let source { try await rehearse(from: source, into: environment) }
            try FileManager.default.createDirectory(at: environment.data, withIntermediateDirectories: true)
            // Made once here, so no two instances make them at the same time.
            _ = try PaymentsKeys.vault(in: environment.data)
            _ = try PaymentsKeys.requests(in: environment.data)
            _ = try DataKeys(directory: environment.data).serviceIdentity()
            try environment.writePeers(external: external)
            let builds = try self.builds(in: environment)
            let planned = environment.plan(instances: instances, external: external) { builds[$0] }
            try HAProxy.config(for: environment, instances: planned).write(to: environment.haproxyConfig, atomically: true, encoding: .utf8)
            var state = DeployState(
                port: environment.port, haproxyPID: try HAProxy.start(environment), instances: [],
                external: Dictionary(uniqueKeysWithValues: external.urls.map { ($0.key.rawValue, $0.value) }))
            try environment.save(state)
            let started = ContinuousClock.now
            for var instance in planned {
                do {
                    instance.pid = try Instances.start(instance, in: environment)
                    state.instances.append(instance)
                    try environment.save(state)
                    state.instances[state.instances.count - 1] = try await Instances.waitUntilServing(instance, in: environment)
                    try environment.save(state)
                } catch {
                    await Down.stop(state, in: environment)
                    throw HarnessError("deploy of \(environment.name) failed: \(instance.name): \(error)")
                }
            }
            let counts = DeployEnvironment.startOrder.compactMap { service in
                let running = state.instances.filter { $0.service == service.rawValue }
                return running.isEmpty ? nil : "\(service) \(running[0].version ?? "unknown") ×\(running.count)"
            }
            print(
                "harness: \(environment.name) deployed at \(environment.frontDoor) in \(Instances.seconds(ContinuousClock.now - started)): "
                    + counts.joined(separator: ", ") + " behind haproxy (runtime API \(environment.socket)); data in \(environment.data.path)")
        }

        /// Rehearses the candidate's migrations (only `--service`'s, with one) on a copy of `source`, against the
        /// statements of the builds production runs: they answer on the migrated schema while the roll goes.
        func rehearse(from source: String, into environment: DeployEnvironment) async throws {
            var running: [ServiceName: Set<String>] = [:]
            let production = try DeployEnvironment(name: "production", root: place.root, port: nil)
            if environment.name != "production", FileManager.default.fileExists(atPath: production.stateFile.path) {
                do {
                    running = try await Status.commits(environment: "production", root: place.root)
                } catch {
                    print("harness: what production runs is not known (\(error)): its builds' statements are not checked against the new schema")
                }
            }
            let into = environment.directory.appendingPathComponent("rehearsal", isDirectory: true)
            let only = candidate.service.map { [ServiceName($0)] } ?? []
            let executable = try candidate.executable()
            if executable != Instances.currentBuild {
                // The candidate's own migrations, rehearsed by the candidate.
                var arguments = ["migrate", "rehearse", "--from", source, "--into", into.path] + only.flatMap { ["--only", $0.rawValue] }
                for (service, commits) in running { arguments += commits.sorted().flatMap { ["--old", "\(service)=\($0)"] } }
                let result = try Processes.run(executable, arguments)
                print(result.output, terminator: "")
                guard result.status == 0 else {
                    throw HarnessError("deploy of \(environment.name) aborted: \(Processes.reason(in: result.output))")
                }
                return
            }
            let report = try Migrate.Rehearse.rehearse(
                from: URL(fileURLWithPath: source, isDirectory: true).standardizedFileURL, into: into, only: only,
                running: try Migrate.Rehearse.oldBuilds(running))
            if let failure = report.failure { throw HarnessError("deploy of \(environment.name) aborted: rehearsal failed: \(failure)") }
        }

        /// The executable of each service, kept under the root: `--like`'s environment's for the others, the
        /// candidate's for `--service` (for all of them without `--like`).
        func builds(in environment: DeployEnvironment) throws -> [String: String] {
            var builds: [String: String] = [:]
            if let like {
                let other = try DeployEnvironment(name: like, root: place.root, port: nil)
                guard let state = try other.loadState() else {
                    throw HarnessError("--like \(like): \(like) is not deployed (no \(other.stateFile.path))")
                }
                for instance in state.instances where builds[instance.service] == nil {
                    guard let build = instance.build else {
                        throw HarnessError(
                            "--like \(like): \(other.stateFile.path) does not say which build \(instance.name) runs (an older deploy wrote it); roll \(like) once with this harness"
                        )
                    }
                    builds[instance.service] = build
                }
            }
            let candidate = try environment.keep(try candidate.executable())
            for service in DeployEnvironment.startOrder.map(\.rawValue) where self.candidate.places(service) {
                if like == nil || self.candidate.service != nil { builds[service] = candidate }
            }
            return builds
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an environment's instances and HAProxy (its data stays).")

        @OptionGroup var place: Where

        func run() async throws {
            let environment = try place.environment()
            guard let state = try environment.loadState() else {
                print("harness: \(environment.name) is not deployed (no \(environment.stateFile.path))")
                return
            }
            await Self.stop(state, in: environment)
            print("harness: \(environment.name) stopped (\(state.instances.count) instances and haproxy); data kept in \(environment.data.path)")
        }

        /// Stops the instances (last started first), then HAProxy, and forgets them.
        static func stop(_ state: DeployState, in environment: DeployEnvironment) async {
            for instance in state.instances.reversed() { await Processes.stop(instance.pid) }
            await Processes.stop(state.haproxyPID, grace: .seconds(5))
            try? FileManager.default.removeItem(at: environment.stateFile)
        }
    }
}
