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

        @Flag(help: "Print JSON: {env: {service: [{instance, version, commit}]}}, as each instance answers (version \"down\" for one that does not).")
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
                let answers = await Self.answers(of: state)
                report[name] = .object(
                    Dictionary(grouping: answers, by: \.instance.service).mapValues { answers in
                        .array(answers.map { ["instance": .string($0.instance.name), "version": .string($0.version), "commit": .string($0.commit)] })
                    })
                let versions = Dictionary(grouping: answers, by: \.instance.service).mapValues { answers in
                    answers.reduce(into: [String: Int]()) { $0[$1.version, default: 0] += 1 }
                }
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
                // Services at different versions: what a release of one service looks like, until it reaches them all.
                let byVersion = Dictionary(grouping: answers.filter { $0.instance.service != "processor" }, by: \.version)
                    .mapValues { Set($0.map(\.instance.service)).sorted() }
                if byVersion.count > 1 {
                    print(
                        "  mixed versions: "
                            + byVersion.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.joined(separator: ", ")))" }.joined(separator: "; "))
                }
            }
            if json { print(JSON.object(report).pretty) }
        }

        /// What each instance reports at `GET /health`: "down" for one that does not answer, "unknown" for a
        /// build that does not say.
        static func answers(of state: DeployState) async -> [(instance: Instance, version: String, commit: String)] {
            var answers: [(instance: Instance, version: String, commit: String)] = []
            for instance in state.instances {
                let health = Processes.isAlive(instance.pid) ? await Instances.health(of: instance) : nil
                answers.append(
                    (instance, health.map { $0["version"].string ?? "unknown" } ?? "down", health.map { $0["commit"].string ?? "unknown" } ?? "down"))
            }
            return answers
        }
    }
}

extension Deploy.Status {
    /// The commits each service of an environment runs, as its live instances report them at `GET /health`.
    @Sendable static func commits(environment name: String, root: String) async throws -> [ServiceName: Set<String>] {
        guard DeployEnvironment.names.contains(name) else {
            throw ValidationError("--to \(name): expected one of \(DeployEnvironment.names.joined(separator: ", "))")
        }
        let environment = try DeployEnvironment(name: name, root: root, port: nil)
        guard let state = try environment.loadState() else {
            throw HarnessError("\(name) is not deployed (no \(environment.stateFile.path)); name its versions with --deployed SERVICE=COMMIT")
        }
        var commits: [ServiceName: Set<String>] = [:]
        for answer in await answers(of: state) where answer.commit != "down" {
            commits[ServiceName(answer.instance.service), default: []].insert(answer.commit)
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
                "Build a commit's harness (with --tests, its test binary too) in the scratch path of --builds, incrementally after the last, and keep them in <builds>/bin/<commit>/; prints commit=, harness=, tests= and package= (the worktree) lines."
        )

        @Argument(help: "The commit (any name git knows).") var commit: String

        @Option(help: "Where builds of other commits are made and kept; default $HARNESS_RELEASE_BUILDS, else .build-releases.")
        var builds = ReleaseBuilds.defaultDirectory

        @Flag(help: "Build the commit's tests too.")
        var tests = false

        func run() async throws {
            let releases = ReleaseBuilds(builds)
            let built = try releases.build(commit, tests: tests)
            print("commit=\(built.commit)")
            print("harness=\(built.harness)")
            if let tests = built.tests { print("tests=\(tests)") }
            print("package=\(releases.source.path)")
        }
    }
}
