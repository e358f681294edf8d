import Hummingbird
import ServiceKit

/// One base URL for the whole stack: `/payments/...`, `/fraud/...`, `/vault/...`, `/dashboard/...`.
///
/// Strips the service's name from the path and hands the request to that service's own responder, so a
/// served service sees the same paths as one called in memory. `GET /health` reports every service.
public struct Gateway: HTTPResponder {
    public typealias Context = ServiceContext
    let responders: [ServiceName: RouterResponder<ServiceContext>]

    public init(_ services: [any ServiceApp]) {
        self.responders = Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0.responder()) })
    }

    public func respond(to request: Request, context: ServiceContext) async throws -> Response {
        let path = request.head.path ?? "/"
        let trimmed = path.dropFirst()
        let name = trimmed.prefix { $0 != "/" && $0 != "?" }
        guard let service = ServiceName(rawValue: String(name)), let responder = responders[service] else {
            if path == "/health" || path.hasPrefix("/health?") { return try await health(context) }
            let error = ServiceError(.notFound, "not-found",
                                     "No service at \(path). Services: \(ServiceName.allCases.map { "/\($0)" }.joined(separator: ", ")).")
            return try error.response(from: request, context: context)
        }
        var head = request.head
        let rest = trimmed.dropFirst(name.count)
        head.path = rest.isEmpty ? "/" : (rest.hasPrefix("?") ? "/" + rest : String(rest))
        return try await responder.respond(to: Request(head: head, body: request.body), context: context)
    }

    /// Every service's own `/health`, and 503 if any is not ok.
    func health(_ context: ServiceContext) async throws -> Response {
        var report: [String: JSON] = [:]
        var healthy = true
        for (name, responder) in responders {
            let head = HTTPRequest(method: .get, scheme: "http", authority: name.rawValue, path: "/health")
            let response = try await responder.respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer())), context: context)
            healthy = healthy && response.status == .ok
            report[name.rawValue] = .string(response.status == .ok ? "ok" : "unavailable")
        }
        return .json(["status": healthy ? "ok" : "unavailable", "services": .object(report)] as JSON,
                     status: healthy ? .ok : .serviceUnavailable)
    }
}
