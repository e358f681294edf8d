import GRDB
import Hummingbird
import Logging

/// A service as the harness runs it: a name, a database it owns, and its routes.
///
/// Whoever hosts a service (the in-memory transport, `harness serve`) takes its `responder()`: the
/// routes wrapped in what every service shares — trace binding, JSON errors, `GET /health`.
public protocol ServiceApp: Sendable {
    var name: ServiceName { get }
    var database: any DatabaseWriter { get }
    func addRoutes(to router: Router<ServiceContext>)
}

extension ServiceApp {
    public func responder() -> RouterResponder<ServiceContext> {
        let router = Router(context: ServiceContext.self)
        router.add(middleware: ServiceMiddleware(service: name))
        let database = database
        let name = name
        router.get("/health") { _, _ -> Response in
            do {
                _ = try await database.read { try Int.fetchOne($0, sql: "SELECT 1") }
                return .json(["service": .string(name.rawValue), "status": "ok"] as JSON)
            } catch {
                return .json(["service": .string(name.rawValue), "status": "unavailable"] as JSON, status: .serviceUnavailable)
            }
        }
        addRoutes(to: router)
        return router.buildResponder()
    }
}

/// Binds the caller's trace for the duration of a request and renders every failure as a JSON error.
struct ServiceMiddleware: RouterMiddleware {
    let service: ServiceName

    func handle(_ request: Request, context: ServiceContext,
                next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let trace = request.headers[TraceContext.header].flatMap(TraceContext.init(traceparent:))
        return try await TraceContext.$current.withValue(trace) {
            do {
                let response = try await next(request, context)
                context.logger.debug("request", metadata: ["route": "\(request.method) \(request.uri.path)", "status": "\(response.status.code)"])
                return response
            } catch let error as ServiceError {
                context.logger.debug("request", metadata: ["route": "\(request.method) \(request.uri.path)", "status": "\(error.status.code)"])
                throw error
            } catch let error as ContractViolation {
                context.logger.error("contract violation", metadata: ["violation": "\(error)"])
                throw error
            } catch let error as ForwardedError {
                throw error
            } catch let error as HTTPError {
                throw ServiceError(error.status, Self.categoryCode(error.status),
                                   error.body ?? "\(error.status.reasonPhrase): \(request.method) \(request.uri.path).")
            } catch let error as DecodingError {
                throw ServiceError(decoding: error)
            } catch {
                context.logger.error("unhandled error", metadata: ["service": "\(service)", "error": "\(error)"])
                throw ServiceError(.internalServerError, "internal-error", "\(service) failed to handle the request.",
                                   categoryType: "logical")
            }
        }
    }

    static func categoryCode(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 413: "request-too-large"
        default: "invalid-request"
        }
    }
}
