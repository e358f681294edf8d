import ArgumentParser
import Foundation
import Harness
import ServiceKit

extension Deploy {
    /// `harness deploy status`: what each environment runs, as its instances say.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List each service's versions and instances per environment, as each instance's GET /health reports them (deploy.json only says where they are)."
        )

        @Option(help: "One environment (default: every deployed one).")
        var env: String?

        @Option(help: "The directory environments live in.")
        var root = "harness-deploy"

        @Flag(help: "Print JSON: {env: {service: {version: count}}}, versions of instances that answer.")
        var json = false

        func validate() throws {
            if let env, !DeployEnvironment.names.contains(env) {
                throw ValidationError("--env \(env): expected one of \(DeployEnvironment.names.joined(separator: ", "))")
            }
        }

        func run() async throws {
            var report: [String: JSON] = [:]
            for name in env.map({ [$0] }) ?? DeployEnvironment.names {
                let environment = try DeployEnvironment(name: name, root: root, port: nil)
                guard let state = try environment.loadState() else {
                    if !json { print("\(name): not deployed") }
                    continue
                }
                let versions = await Self.versions(of: state)
                report[name] = .object(versions.mapValues { .object($0.mapValues { .number(Double($0)) }) })
                guard !json else { continue }
                print("\(name) at http://127.0.0.1:\(state.port)")
                for service in DeployEnvironment.startOrder.map(\.rawValue) {
                    let instances = state.instances.filter { $0.service == service }
                    guard !instances.isEmpty else {
                        if let url = state.external[service] { print("  \(service.padding(toLength: 10, withPad: " ", startingAt: 0)) at \(url)") }
                        continue
                    }
                    let counts = (versions[service] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
                    let mixed = counts.count > 1 ? "   (mixed versions)" : ""
                    print(
                        "  \(service.padding(toLength: 10, withPad: " ", startingAt: 0)) \(instances.count) instance\(instances.count == 1 ? "" : "s"): "
                            + counts.joined(separator: ", ") + mixed)
                }
            }
            if json { print(JSON.object(report).pretty) }
        }

        /// For each service, how many of its instances report each version ("down" for one that does not answer).
        static func versions(of state: DeployState) async -> [String: [String: Int]] {
            var versions: [String: [String: Int]] = [:]
            for instance in state.instances {
                let health = Processes.isAlive(instance.pid) ? await Instances.health(of: instance) : nil
                let version = health.map { $0["version"].string ?? "unknown" } ?? "down"
                versions[instance.service, default: [:]][version, default: 0] += 1
            }
            return versions
        }
    }
}

extension Deploy.Status {
    /// The commits each service of an environment runs, as its live instances report them at `GET /health`.
    @Sendable static func commits(environment name: String, root: String) async throws -> [ServiceName: Set<String>] {
        let environment = try DeployEnvironment(name: name, root: root, port: nil)
        guard let state = try environment.loadState() else {
            throw HarnessError("\(name) is not deployed (no \(environment.stateFile.path)); name its versions with --deployed SERVICE=COMMIT")
        }
        var commits: [ServiceName: Set<String>] = [:]
        for instance in state.instances where Processes.isAlive(instance.pid) {
            guard let health = await Instances.health(of: instance) else { continue }
            commits[ServiceName(instance.service), default: []].insert(health["commit"].string ?? "unknown")
        }
        guard !commits.isEmpty else { throw HarnessError("no instance of \(name) answers GET /health") }
        return commits
    }
}

extension Deploy {
    /// `harness deploy build`: a commit's harness (and tests), made where `--commit` makes them.
    struct BuildCommit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract:
                "Build a commit's harness (with --tests, its test suites too) in the scratch path of --builds, incrementally after the last; prints where."
        )

        @Argument(help: "The commit (any name git knows).") var commit: String

        @Option(help: "Where builds of other commits are made and kept.")
        var builds = ".build-releases"

        @Flag(help: "Build the commit's tests too; they stay in the scratch path until the next build.")
        var tests = false

        func run() async throws {
            let releases = ReleaseBuilds(builds)
            let harness = try releases.harness(at: commit, tests: tests)
            print("harness=\(harness)")
            print("package=\(releases.source.path)")
            print("scratch=\(releases.scratch.path)")
        }
    }
}
