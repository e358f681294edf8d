import HTTPTypes
import HarnessContracts
import HarnessCore
import Tracing
import W3CTraceContext

/// A service as a host holds it (the in-memory transport, a gateway): its routes read once, to name the
/// server span of each request it answers.
struct Hosted: Sendable {
    let service: any StackService
    let routes: RouteTable<Route>
    /// Whether it opens a server span for each request: off only in a stack without tracing.
    let spans: Bool

    init(_ service: any StackService, spans: Bool = true) {
        self.service = service
        routes = RouteTable(service.routes)
        self.spans = spans
    }

    /// ``StackService/respond(to:)`` inside a server span that continues the caller's trace, recorded by
    /// ``HarnessTracer/shared`` whatever instrument the process bootstrapped (or none): the calls the
    /// service makes while it answers run under that span, so the call tree links each hop to the
    /// request whose handler made it. The span is named as Hummingbird names one, by its route's path.
    func answer(_ request: ServiceRequest) async throws -> ServiceResponse {
        guard spans else { return try await service.respond(to: request) }
        let tracer = HarnessTracer.shared
        var context = ServiceContext.topLevel
        // By the W3C rules: a malformed `traceparent` is no parent, and the request starts a trace of its own.
        if let parent = request.head.headerFields[.traceparent] {
            context.traceContext = try? TraceContext(
                traceParentHeaderValue: parent, traceStateHeaderValue: request.head.headerFields[.tracestate])
        }
        let route = routes.match(request.head.method, request.path)
        return try await tracer.hop(route?.template ?? request.path, context: context, kind: .server, request) { _ in
            try await service.respond(to: request)
        }
    }
}
