/// Something that wraps every exchange: records it, rewrites it, delays it, fails it.
///
/// Taps, mocks, faults, tracing and contract checks are middlewares around one `Transport`, never new
/// transports, so every one of them works the same in memory and over HTTP. `next` is `@Sendable`, so
/// a middleware may hand it to a child task (a timeout races it against a clock).
public protocol TransportMiddleware: Sendable {
    func handle(
        _ request: ServiceRequest,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse
}

/// A transport with middlewares around it; the first middleware sees a request first.
public struct MiddlewareTransport: Transport {
    let base: any Transport
    let middlewares: [any TransportMiddleware]

    public init(_ base: any Transport, middlewares: [any TransportMiddleware]) {
        self.base = base
        self.middlewares = middlewares
    }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        try await send(request, from: middlewares[...])
    }

    private func send(_ request: ServiceRequest, from rest: ArraySlice<any TransportMiddleware>) async throws -> ServiceResponse {
        guard let first = rest.first else { return try await base.send(request) }
        return try await first.handle(request) { try await send($0, from: rest.dropFirst()) }
    }
}
