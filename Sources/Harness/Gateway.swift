import HarnessContracts
import HarnessCore
import Hummingbird

/// One base URL for a whole stack, each service under its name: `/payments/...`, `/fraud/...`.
///
/// Strips the service's name from the path and hands the request to that service, so a served service
/// sees the same paths as one called in memory. `GET /health` reports every service.
public struct Gateway: HTTPResponder {
    public typealias Context = BasicRequestContext
    let services: [ServiceName: Hosted]
    let testEndpoints: TestEndpoints
    /// What every call from outside goes through before its service (a served stack's faults).
    let outside: [any TransportMiddleware]
    /// The largest request body it passes on: well above any service's own limit, which therefore
    /// answers as it would on its own.
    static let maximumBody = 16 * 1024 * 1024

    /// - Parameters:
    ///   - services: the services it serves, each under its name.
    ///   - testEndpoints: what a stack served for tests offers besides its services (`/_harness/…`); none unless asked for.
    ///   - outside: middlewares every call from outside goes through before its service.
    ///   - spans: whether each request a service answers gets a server span; off only in a stack without tracing.
    public init(
        _ services: [any StackService], testEndpoints: TestEndpoints = TestEndpoints(), outside: [any TransportMiddleware] = [],
        spans: Bool = true
    ) {
        self.services = Dictionary(uniqueKeysWithValues: services.map { ($0.name, Hosted($0, spans: spans)) })
        self.testEndpoints = testEndpoints
        self.outside = outside
    }

    public func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        try await Response(answer(request))
    }

    func answer(_ request: Request) async throws -> ServiceResponse {
        let path = request.head.path ?? "/"
        let trimmed = path.dropFirst()
        let name = trimmed.prefix { $0 != "/" && $0 != "?" }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBody)
        } catch {
            return .problem(.contentTooLarge, "The request body is over \(Self.maximumBody) bytes.")
        }
        guard let service = services[ServiceName(String(name))] else {
            if path == "/health" || path.hasPrefix("/health?") { return try await health() }
            if let contracts = testEndpoints.contracts, path == "/_harness/contracts" {
                return ServiceResponse(
                    .ok,
                    json: [
                        "drift": .array(contracts.drift.map(\.json)),
                        "contracts": .array(contracts.book.contracts.map(\.json)),
                    ])
            }
            if let states = testEndpoints.providerStates, path == "/_harness/provider-states" {
                return await states.answer(ServiceRequest(caller: nil, callee: "_harness", head: request.head, body: body))
            }
            let names = services.keys.sorted().map { "/\($0)" }.joined(separator: ", ")
            return .problem(.notFound, "No service at \(path). Services: \(names).")
        }
        var head = request.head
        let rest = trimmed.dropFirst(name.count)
        head.path = rest.isEmpty ? "/" : (rest.hasPrefix("?") ? "/" + rest : String(rest))
        let call = ServiceRequest(caller: nil, callee: service.service.name, head: head, body: body)
        guard !outside.isEmpty else { return try await service.answer(call) }
        return try await MiddlewareTransport(Answering(service: service), middlewares: outside).send(call)
    }

    /// One service as a transport: what the outside middlewares wrap.
    struct Answering: Transport {
        let service: Hosted
        func send(_ request: ServiceRequest) async throws -> ServiceResponse { try await service.answer(request) }
    }

    /// Every service's own `/health`, and 503 if any is not ok.
    func health() async throws -> ServiceResponse {
        var report: [String: JSON] = [:]
        var healthy = true
        for (name, service) in services {
            let head = HTTPRequest(method: .get, scheme: "http", authority: name.rawValue, path: "/health")
            let response = try await service.service.respond(to: ServiceRequest(caller: nil, callee: name, head: head))
            healthy = healthy && response.status == .ok
            report[name.rawValue] = .string(response.status == .ok ? "ok" : "unavailable")
        }
        return ServiceResponse(
            healthy ? .ok : .serviceUnavailable, json: ["status": healthy ? "ok" : "unavailable", "services": .object(report)])
    }
}

extension Response {
    /// A service's answer as the server writes it.
    init(_ response: ServiceResponse) {
        self.init(status: response.head.status, headers: response.head.headerFields, body: ResponseBody(byteBuffer: response.body))
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
