@preconcurrency import Crypto
import HTTPTypes
import Harness
import Logging
import PartnerSandbox
import PaymentsSystem
import ServiceKit
import Testing
import Vault

/// One service alone: the service under test in memory, its peers answered by stubs at the transport,
/// each stub's answer checked against the document its real service serves (`StubTransport`). A stub
/// that answers off its document fails the test that built it, at the line that built it.
struct Isolated: Transport {
    typealias Stub = StubTransport.Stub

    let stubs: StubTransport
    let logger: Logger

    /// - Parameters:
    ///   - drifting: the stubs that answer off their document on purpose, to test how the service copes
    ///     with a provider that drifted; their answers are still checked, into `drift`.
    ///   - logger: what the service under test logs to (its requests' loggers included).
    init(
        stubs: [ServiceName: Stub] = [:], drifting: Set<ServiceName> = [], logger: Logger = Stack.quietLogger,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        self.logger = logger
        self.stubs = try StubTransport(stubs: stubs, documents: try Self.documents.get(), drifting: drifting, logger: logger) { drift in
            Issue.record(Comment(rawValue: drift), sourceLocation: sourceLocation)
        }
    }

    /// The documents payments' services serve, read once for every test.
    static let documents = Result { try SystemUnderTest.payments.documents() }

    var local: InMemoryTransport { stubs.local }

    /// Every stubbed answer so far that differs from its provider's document.
    var drift: [String] { stubs.drift }

    func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        try await stubs.send(request)
    }

    var environment: ServiceEnvironment { ServiceEnvironment(transport: self, logger: logger) }

    /// A client calling the service under test from outside.
    func client(_ service: ServiceName) -> StackClient {
        StackClient(service: service, transport: self)
    }

    /// A merchant's client of payments, after opening a marketplace on the payments under test.
    func merchant() async throws -> StackClient {
        let key = try await client(.payments).post("/api_keys", [:])
        let secret = try #require(key.json?["api_keys"][0]["secret"].string, "\(key.bodyText)")
        return client(.payments).authenticated(as: secret)
    }

    /// Vault alone, with the processor's sandbox it authorizes with.
    static func vault(key: SymmetricKey = SymmetricKey(size: .bits256), logger: Logger = Stack.quietLogger) throws -> (Isolated, VaultService) {
        let transport = try Isolated(logger: logger)
        let vault = try VaultService(environment: transport.environment, key: key)
        transport.local.register(vault)
        transport.local.register(try ProcessorSandbox(environment: transport.environment))
        return (transport, vault)
    }

    /// A stub answering every request with this status and JSON.
    static func answer(_ status: HTTPResponse.Status, _ json: JSON) -> Stub {
        { _ in ServiceResponse(status, json: json) }
    }

    /// What `service` answers a request with when it fails with `error`: Balanced's error envelope, as
    /// every service renders one.
    static func failure(_ error: ServiceError, from service: ServiceName) -> ServiceResponse {
        let reply = Reply(error: error, requestID: RequestIDs.make(), service: service)
        return ServiceResponse(reply.status, json: reply.body)
    }
}
