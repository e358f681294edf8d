import Hummingbird
import ServiceKit

/// One base URL for a whole stack, each service under its name: `/payments/...`, `/fraud/...`.
///
/// Strips the service's name from the path and hands the request to that service's own responder, so a
/// served service sees the same paths as one called in memory. `GET /health` reports every service.
public struct Gateway: HTTPResponder {
    public typealias Context = ServiceRequestContext
    let responders: [ServiceName: RouterResponder<ServiceRequestContext>]
    let testEndpoints: TestEndpoints

    /// - Parameters:
    ///   - services: the services it serves, each under its name.
    ///   - identity: what internal services verify their callers with: every call to one of
    ///     them, from a peer or from outside, needs a credential signed with its key.
    ///   - testEndpoints: what a stack served for tests offers besides its services (`/_harness/…`); none unless asked for.
    public init(_ services: [any ServiceApp], identity: ServiceIdentity, testEndpoints: TestEndpoints = TestEndpoints()) {
        self.responders = Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0.responder(identity: identity)) })
        self.testEndpoints = testEndpoints
    }

    public func respond(to request: Request, context: ServiceRequestContext) async throws -> Response {
        let path = request.head.path ?? "/"
        let trimmed = path.dropFirst()
        let name = trimmed.prefix { $0 != "/" && $0 != "?" }
        guard let responder = responders[ServiceName(String(name))] else {
            if path == "/health" || path.hasPrefix("/health?") { return try await health(context) }
            if let contracts = testEndpoints.contracts, path == "/_harness/contracts" {
                return .json([
                    "drift": .array(contracts.drift.map(\.json)),
                    "contracts": .array(contracts.book.contracts.map(\.json)),
                ])
            }
            if let states = testEndpoints.providerStates, path == "/_harness/provider-states" {
                return await states.answer(request, context: context)
            }
            let services = responders.keys.sorted().map { "/\($0)" }.joined(separator: ", ")
            let error = ServiceError(.notFound, "not-found", "No service at \(path). Services: \(services).")
            return Reply(error: error, requestID: context.id, service: "gateway").response
        }
        var head = request.head
        let rest = trimmed.dropFirst(name.count)
        head.path = rest.isEmpty ? "/" : (rest.hasPrefix("?") ? "/" + rest : String(rest))
        return try await responder.respond(to: Request(head: head, body: request.body), context: context)
    }

    /// Every service's own `/health`, and 503 if any is not ok.
    func health(_ context: ServiceRequestContext) async throws -> Response {
        var report: [String: JSON] = [:]
        var healthy = true
        for (name, responder) in responders {
            let head = HTTPRequest(method: .get, scheme: "http", authority: name.rawValue, path: "/health")
            let response = try await responder.respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer())), context: context)
            healthy = healthy && response.status == .ok
            report[name.rawValue] = .string(response.status == .ok ? "ok" : "unavailable")
        }
        return .json(
            ["status": healthy ? "ok" : "unavailable", "services": .object(report)] as JSON,
            status: healthy ? .ok : .serviceUnavailable)
    }
}

/// What a stack served for tests offers besides its services; none of it unless asked for.
public struct TestEndpoints: Sendable {
    /// What the served consumers read, at `GET /_harness/contracts`.
    public var contracts: ContractRecorder?
    /// Pact's provider-state calls, at `POST /_harness/provider-states`.
    public var providerStates: ProviderStates?

    public init(contracts: ContractRecorder? = nil, providerStates: ProviderStates? = nil) {
        self.contracts = contracts
        self.providerStates = providerStates
    }
}
