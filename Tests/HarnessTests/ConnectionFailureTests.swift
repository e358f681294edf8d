import Foundation
import HTTPTypes
import Harness
import ServiceKit
import Testing

/// Connection failures said as they are: refused is refused, and no error names a function inside NIO.
@Suite struct ConnectionFailureTests {
    /// A port nothing listens on: one the system just gave a listener that is gone.
    func closedPort() async throws -> Int {
        let server = try await StackServer.start([], logger: Stack.quietLogger)
        let port = server.port
        try await server.stop()
        return port
    }

    @Test func callsARefusedConnectionRefused() async throws {
        let port = try await closedPort()
        let transport = HTTPTransport(baseURL: "http://127.0.0.1:\(port)")
        await #expect { _ = try await ServiceClient(caller: nil, transport: transport).send("stock", .get, "/health") } throws: { error in
            "\(error)" == "the connection of GET /health was refused" && (error as? HopFailure)?.reason == "connection refused"
        }
    }

    @Test func saysWhyItCannotListenWithoutNIOsFunctionNames() async throws {
        // 192.0.2.1 is documentation's address (RFC 5737), never this machine's.
        await #expect { _ = try await StackServer.start([], host: "192.0.2.1", logger: Stack.quietLogger) } throws: { error in
            "\(error)" == "cannot listen on 192.0.2.1:0: cannot assign requested address"
        }
    }
}
