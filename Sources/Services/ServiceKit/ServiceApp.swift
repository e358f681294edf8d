import BuildVersion
import GRDB
import HarnessContracts
import HarnessCore
import Hummingbird
import Logging

/// A service as a host runs it: a name, a database it owns, and its routes.
///
/// Whoever hosts a service (the in-memory transport, a gateway, `harness serve`) takes its
/// `responder()`: the routes wrapped in what every service shares — errors rendered as JSON in one
/// place, `GET /health` — while the host opens each request's server span.
public protocol ServiceApp: Sendable {
    var name: ServiceName { get }
    var database: ServiceDatabase { get }
    /// The routes of other services this one calls, as its `Clients/` declare them.
    var consumes: [PeerRoute] { get }
    /// Who may call it: a public API by default; an internal service names the callers of each route.
    var access: ServiceAccess { get }
    /// What it promises each route answers, served at `GET /openapi.json`; the harness checks every
    /// response against it.
    var apiDocument: APIDocument? { get }
    func addRoutes(to router: Router<ServiceRequestContext>)
}

extension ServiceApp {
    public var consumes: [PeerRoute] { [] }
    public var access: ServiceAccess { .publicAPI }
    public var apiDocument: APIDocument? { nil }

    /// The service's routes as a host serves them. With an `identity`, an internal service refuses
    /// every call that does not carry a credential of a caller its route allows (`CallerCheck`);
    /// without one (a service's own unit tests), it trusts its caller.
    public func responder(identity: ServiceIdentity? = nil) -> RouterResponder<ServiceRequestContext> {
        router(identity: identity).buildResponder()
    }

    /// Every route the service declares, as its router has it (`GET /cards/{id}`).
    public func routes() -> [PeerRoute] {
        router().routes.map { PeerRoute(name, $0.method, "\($0.path)") }
    }

    func router(identity: ServiceIdentity? = nil) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        // Outside the error middleware, so a refusal reports the fields its handler read too.
        router.add(middleware: RequestReadsReport(service: name, identity: identity))
        router.add(middleware: ErrorMiddleware(service: name))
        if let identity, case .internalOnly(let routes) = access {
            router.add(middleware: CallerCheck(service: name, routes: routes, identity: identity))
        }
        let database = database
        let name = name
        let (version, commit) = (JSON.string(BuildVersion.current.description), JSON.string(BuildVersion.current.commit))
        router.get("/health") { _, _ -> Response in
            do {
                _ = try await database.read { try Int.fetchOne($0.cachedStatement(sql: "SELECT 1")) }
                return .json(["service": .string(name.rawValue), "status": "ok", "version": version, "commit": commit] as JSON)
            } catch {
                return .json(["service": .string(name.rawValue), "status": "unavailable"] as JSON, status: .serviceUnavailable)
            }
        }
        if let document = apiDocument {
            router.get("/openapi.json") { _, _ in Response.json(document.json) }
        }
        addRoutes(to: router)
        return router
    }
}

/// Logs every request, and turns every failure of a handler into the JSON reply a client sees.
struct ErrorMiddleware: RouterMiddleware {
    let service: ServiceName

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            context.logger.debug("request", metadata: ["route": "\(request.method) \(request.uri.path)", "status": "\(response.status.code)"])
            return response
        } catch {
            let route = "\(request.method) \(request.uri.path)"
            var error = error
            if let http = error as? HTTPError, http.body == nil {
                // The router's own 404 and 405: no such route, which a consumer must not mistake for a
                // resource it asked for that does not exist.
                error = ServiceError(
                    http.status, ServiceError.categoryCode(http.status), "\(http.status.reasonPhrase): \(route).",
                    extras: ["reason": .string(ServiceError.noSuchRoute)])
            }
            let reply = Reply(error: error, requestID: context.id, service: service)
            switch error {
            case is ContractViolation: context.logger.error("contract violation", metadata: ["route": "\(route)", "violation": "\(error)"])
            case is ServiceError, is ForwardedError, is HTTPError, is DecodingError:
                context.logger.debug("request failed", metadata: ["route": "\(route)", "status": "\(reply.status.code)"])
            default: context.logger.error("unhandled error", metadata: ["route": "\(route)", "error": "\(error)"])
            }
            return reply.response
        }
    }
}
