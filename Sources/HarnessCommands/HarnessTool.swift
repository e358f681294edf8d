import ArgumentParser
import Foundation
import Harness

/// A system's own `harness` command: `serve`, `contracts`, `coverage`, `bench`, `identity` and `shard`
/// for the system a team hands it, from an executable of a few lines in the team's package:
///
/// ```swift
/// import HarnessCommands
/// import ShopSystem
///
/// await HarnessTool(name: "shop-harness", system: .shop, acceptanceSuites: "^ShopTests\\.").main()
/// ```
///
/// The commands find the package's test binary, its suites and the Swift toolchain themselves; run them
/// from the package's root (`swift run shop-harness coverage`).
public struct HarnessTool: Sendable {
    /// The command's name, in its help and at the start of every error line.
    public var name: String
    public var system: SystemUnderTest
    /// The acceptance suites, a regular expression of test ids (`^ShopTests\.`): what `contracts`
    /// records and verifies and `coverage` measures per test and per edge.
    public var acceptanceSuites: String
    /// The unit suites `coverage` measures beside them, if the package has any.
    public var unitSuites: String?
    /// What `bench` times; without any the tool has no `bench` command.
    public var bench: [BenchScenario]
    /// Commands of the system's own, beside the harness's (the payments system's `deploy`, `migrate`).
    public var commands: [any ParsableCommand.Type]
    /// The commits an environment runs, per service, as its instances report them: what `contracts
    /// can-i-deploy --to` checks a build against. Given the environment's name and `--root`; without it,
    /// the versions are named with `--deployed`.
    public var environments: (@Sendable (_ environment: String, _ root: String) async throws -> [ServiceName: Set<String>])?
    /// What this build is (the commit it was built from): `--version`, and how `can-i-deploy` names the candidate.
    public var version: String?

    public init(
        name: String, system: SystemUnderTest, acceptanceSuites: String, unitSuites: String? = nil, bench: [BenchScenario] = [],
        commands: [any ParsableCommand.Type] = [],
        environments: (@Sendable (_ environment: String, _ root: String) async throws -> [ServiceName: Set<String>])? = nil,
        version: String? = nil
    ) {
        self.environments = environments
        self.version = version
        self.name = name
        self.system = system
        self.acceptanceSuites = acceptanceSuites
        self.unitSuites = unitSuites
        self.bench = bench
        self.commands = commands
    }

    /// Parses the process's arguments and runs the command, turning every failure into one line on
    /// stderr and a non-zero exit.
    public func main() async -> Never {
        await Self.$running.withValue(self) {
            do {
                try await run(Array(CommandLine.arguments.dropFirst()))
            } catch let exit as ExitCode {
                Foundation.exit(exit.rawValue)
            } catch {
                if Root.exitCode(for: error) == .success { Root.exit(withError: error) }
                let (line, code) = failure(error)
                FileHandle.standardError.write(Data((line + "\n").utf8))
                Foundation.exit(code)
            }
        }
        exit(0)
    }

    /// Parses `arguments` and runs the command they name: what `main` does, for a test of the command line.
    public func run(_ arguments: [String]) async throws {
        try await Self.$running.withValue(self) {
            var command = try Root.parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        }
    }

    /// The one line a failure prints on stderr, and the non-zero code the process exits with.
    public func failure(_ error: any Error) -> (line: String, code: Int32) {
        Self.$running.withValue(self) {
            let code = Root.exitCode(for: error)
            let message = (error as? HarnessError)?.description ?? Root.message(for: error)
            let firstLine = message.split(separator: "\n").first.map(String.init) ?? "\(error)"
            let hint = code == .validationFailure ? " (see '\(name) --help')" : ""
            return ("\(name): error: \(firstLine)\(hint)", code.rawValue == 0 ? 1 : code.rawValue)
        }
    }

    /// The tool whose command is running, for the commands ArgumentParser builds from their types alone;
    /// task-local, so tools of different systems run side by side (in one test process).
    @TaskLocal private static var running: HarnessTool?

    static var current: HarnessTool {
        guard let tool = running else { fatalError("a harness command ran outside HarnessTool.run") }
        return tool
    }
}

/// The root command, named and filled by the running tool.
struct Root: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        let tool = HarnessTool.current
        let own: [any ParsableCommand.Type] =
            [Serve.self] + (tool.bench.isEmpty ? [] : [Bench.self]) + [Coverage.self, Contracts.self, Identity.self, Shard.self]
        return CommandConfiguration(
            commandName: tool.name,
            abstract: "Serve \(tool.system.names.map(\.rawValue).joined(separator: ", ")) as one stack, check its contracts, measure its coverage.",
            version: tool.version ?? "",
            subcommands: own + tool.commands)
    }
}
