@preconcurrency import Crypto
import Harness
import PartnerSandbox
import PaymentsSystem
import Vault
import HTTPTypes
import Logging
import ServiceKit
import Testing

/// One service alone: the service under test in memory, its peers answered by stubs at the transport.
struct Isolated: Transport {
    typealias Stub = @Sendable (ServiceRequest) async throws -> ServiceResponse

    let local: InMemoryTransport
    let stubs: [ServiceName: Stub]
    let logger: Logger

    /// - Parameter logger: what the service under test logs to (its requests' loggers included).
    init(stubs: [ServiceName: Stub] = [:], logger: Logger = Stack.quietLogger) {
        self.stubs = stubs
        self.logger = logger
        self.local = InMemoryTransport(logger: logger)
    }

    func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        if let stub = stubs[request.callee] { return try await stub(request) }
        return try await local.send(request)
    }

    var environment: ServiceEnvironment { ServiceEnvironment(transport: self, logger: logger) }

    /// A client calling the service under test from outside.
    func client(_ service: ServiceName) -> StackClient {
        StackClient(service: service, client: ServiceClient(caller: nil, transport: self))
    }

    /// A merchant's client of payments, after opening a marketplace on the payments under test.
    func merchant() async throws -> StackClient {
        let key = try await client(.payments).post("/api_keys", [:])
        let secret = try #require(key.json?["api_keys"][0]["secret"].string, "\(key.bodyText)")
        return client(.payments).authenticated(as: secret)
    }

    /// Vault alone, with the processor's sandbox it authorizes with.
    static func vault(key: SymmetricKey = SymmetricKey(size: .bits256), logger: Logger = Stack.quietLogger) throws -> (Isolated, VaultService) {
        let transport = Isolated(logger: logger)
        let vault = try VaultService(environment: transport.environment, key: key)
        transport.local.register(vault)
        transport.local.register(try ProcessorSandbox(environment: transport.environment))
        return (transport, vault)
    }

    /// A stub answering every request with this status and JSON.
    static func answer(_ status: HTTPResponse.Status, _ json: JSON) -> Stub {
        { _ in ServiceResponse(status, json: json) }
    }
}
