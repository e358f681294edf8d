import ArgumentParser
import Foundation
import Harness
import HarnessCommands
import Logging
import PaymentsSystem
import ServiceKit

/// `harness partner-sandbox`: the card processor's test environment as its own process, for a served
/// stack to authorize against (`harness serve --peer processor=URL`).
struct PartnerSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner-sandbox",
        abstract: "Serve the card processor's test environment (Orbital-style XML at /processor/authorize, journal at /processor/journal).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0 picks a free one).")
    var port = 9100

    @Option(help: "Directory for the sandbox's SQLite file (its journal, transactions and trace numbers).")
    var dataDir = "sandbox-data"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        try Serve.validate(port: port, logLevel: logLevel)
    }

    func run() async throws {
        let logger = Serve.bootstrapLogging(logLevel)
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true).standardizedFileURL
        // The sandbox is a partner's public endpoint: it checks the merchant's credentials in each
        // message, not the stack's service credentials, so it gets no identity.
        let services = try SystemUnderTest.partnerSandbox.makeServices { service in
            StackEnvironment(name: service, transport: HTTPTransport(), logger: logger, dataDirectory: directory)
        }
        let server = try await StackServer.start(services, host: host, port: port, signals: [.sigterm, .sigint], logger: logger)
        print("harness: partner sandbox serving http://\(host):\(server.port)/processor (data in \(directory.path)); Ctrl-C stops")
        fflush(nil)
        try await server.wait()
    }
}
