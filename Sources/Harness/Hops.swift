import Foundation
import HTTPTypes
import HarnessContracts
import HarnessCore
import NIOCore
import Synchronization
import W3CTraceContext

/// One exchange the stack saw: who called whom, on which route, what came back, how long it took.
public struct Exchange: Sendable, CustomStringConvertible {
    public var caller: ServiceName?
    public var callee: ServiceName
    public var method: HTTPRequest.Method
    /// The path without its query: `/cards/card_1`.
    public var path: String
    public var status: Int?
    public var duration: Duration
    public var traceparent: String?
    /// The first 2 KiB of each body, for the call tree; unredacted (a call tree redacts as it prints).
    public var requestBody = ""
    public var responseBody = ""
    /// What the transport threw, for a hop that got no answer.
    public var error: String?

    /// The W3C trace this hop belongs to; nil when its `traceparent` is absent or malformed.
    public var traceID: String? { trace.map { "\($0)" } }

    var trace: TraceID? { traceparent.flatMap { try? TraceContext(traceParentHeaderValue: $0) }?.traceID }

    /// `GET /cards/card_1`.
    public var route: String { "\(method) \(path)" }

    public var description: String {
        "\(caller?.rawValue ?? "client") → \(callee) \(route) \(status.map(String.init) ?? "error") (\(duration))"
    }
}

/// The hops of an in-process stack: records every exchange and applies the interceptors tests install.
public final class Hops: TransportMiddleware {
    public typealias Handler = @Sendable (ServiceRequest, @Sendable (ServiceRequest) async throws -> ServiceResponse) async throws -> ServiceResponse

    struct Interceptor {
        var caller: ServiceName?
        var callee: ServiceName
        var handler: Handler
        /// A tap only watches; anything else may change what the services see.
        var watchesOnly = false
    }

    private let interceptors = Mutex<[Interceptor]>([])
    private let log = Mutex<[Exchange]>([])

    /// Whether a test rewrote, mocked or faulted any hop: such a stack does not describe the real contracts.
    public var isTampered: Bool { interceptors.withLock { $0.contains { !$0.watchesOnly } } }

    /// Every exchange so far, in the order they completed.
    public var exchanges: [Exchange] { log.withLock { $0 } }

    /// Installs a handler on the hop into `callee` (from `caller` only, if given). The handler calls
    /// `next` to reach the service, or answers itself to mock it or fail it.
    public func intercept(_ callee: ServiceName, from caller: ServiceName? = nil, _ handler: @escaping Handler) {
        interceptors.withLock { $0.append(Interceptor(caller: caller, callee: callee, handler: handler)) }
    }

    /// Shows `watch` every request into `callee` (from `caller`, if given) with its answer, changing nothing.
    public func tap(
        _ callee: ServiceName, from caller: ServiceName? = nil,
        _ watch: @escaping @Sendable (ServiceRequest, ServiceResponse) -> Void
    ) {
        let handler: Handler = { request, next in
            let response = try await next(request)
            watch(request, response)
            return response
        }
        interceptors.withLock { $0.append(Interceptor(caller: caller, callee: callee, handler: handler, watchesOnly: true)) }
    }

    public func handle(
        _ request: ServiceRequest,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        let handlers = interceptors.withLock { list in
            list.filter { $0.callee == request.callee && ($0.caller == nil || $0.caller == request.caller) }.map(\.handler)
        }
        let start = ContinuousClock.now
        var exchange = Exchange(
            caller: request.caller, callee: request.callee, method: request.head.method, path: request.path, status: nil, duration: .zero,
            traceparent: request.head.headerFields[.traceparent], requestBody: Self.excerpt(request.body))
        do {
            let response = try await Self.run(request, through: handlers[...], next: next)
            exchange.status = response.status.code
            exchange.responseBody = Self.excerpt(response.body)
            record(exchange, since: start)
            return response
        } catch {
            exchange.error = "\(error)"
            record(exchange, since: start)
            throw error
        }
    }

    /// Exchanges that keep their bodies: the most recent, enough for any one test's call tree, so a
    /// long-lived stack's record does not grow by its bodies.
    static let bodiesKept = 256

    private func record(_ exchange: Exchange, since start: ContinuousClock.Instant) {
        var exchange = exchange
        exchange.duration = ContinuousClock.now - start
        log.withLock { log in
            log.append(exchange)
            if log.count > Self.bodiesKept {
                log[log.count - Self.bodiesKept - 1].requestBody = ""
                log[log.count - Self.bodiesKept - 1].responseBody = ""
            }
        }
    }

    static func excerpt(_ body: ByteBuffer) -> String {
        String(decoding: body.readableBytesView.prefix(2048), as: UTF8.self)
    }

    private static func run(
        _ request: ServiceRequest, through handlers: ArraySlice<Handler>,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        guard let handler = handlers.first else { return try await next(request) }
        return try await handler(request) { try await run($0, through: handlers.dropFirst(), next: next) }
    }
}

extension ServiceResponse {
    /// The same response with its JSON body rewritten, and its `Content-Length` kept true.
    public func rewritingJSON(_ transform: (inout JSON) -> Void) throws -> ServiceResponse {
        var json = try JSON(parsing: body)
        transform(&json)
        var copy = self
        copy.body = json.encoded()
        return copy
    }
}

extension HTTPField.Name {
    static let traceparent = HTTPField.Name("traceparent")!
    static let tracestate = HTTPField.Name("tracestate")!
}

extension JSON {
    /// Renames a key wherever it appears: the classic provider-side drift.
    public func renamingKey(_ old: String, to new: String) -> JSON {
        switch self {
        case .object(let object):
            return .object(Dictionary(uniqueKeysWithValues: object.map { ($0.key == old ? new : $0.key, $0.value.renamingKey(old, to: new)) }))
        case .array(let array):
            return .array(array.map { $0.renamingKey(old, to: new) })
        default:
            return self
        }
    }
}
