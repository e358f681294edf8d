import ArgumentParser
import Foundation
import Harness

/// `harness`: serve the stack, benchmark it, measure its coverage.
@main
struct HarnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness",
        abstract: "Run the payments, fraud, vault and dashboard services as one stack.",
        subcommands: [
            Serve.self, PartnerSandboxCommand.self, Bench.self, Coverage.self, Contracts.self, Identity.self, Migrate.self, Deploy.self, Shard.self,
        ])

    /// Parses and runs, turning every failure into one line on stderr and a non-zero exit.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let (line, code) = failure(error)
            FileHandle.standardError.write(Data((line + "\n").utf8))
            Foundation.exit(code)
        }
    }

    /// The one line a failure prints on stderr, and the non-zero code the process exits with.
    static func failure(_ error: any Error) -> (line: String, code: Int32) {
        let code = exitCode(for: error)
        let message = (error as? HarnessError)?.description ?? message(for: error)
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? "\(error)"
        let hint = code == .validationFailure ? " (see 'harness --help')" : ""
        return ("harness: error: \(firstLine)\(hint)", code.rawValue == 0 ? 1 : code.rawValue)
    }
}
