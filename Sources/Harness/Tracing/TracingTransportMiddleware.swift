import HTTPTypes
import HarnessCore
import Tracing
import W3CTraceContext

/// The way out of every hop: a client span around the call, and its W3C `traceparent` on the request.
///
/// Spans go to ``HarnessTracer/shared``, never through `InstrumentationSystem`: the process's own
/// instrument, if the app bootstrapped one, is the app's business.
///
/// A call made while a service handles a request continues that request's trace; a call from outside
/// the stack (a test, a merchant) starts a trace of its own.
public struct TracingTransportMiddleware: TransportMiddleware {
    public init() {}

    public func handle(_ request: ServiceRequest, next: @Sendable (ServiceRequest) async throws -> ServiceResponse) async throws -> ServiceResponse {
        let tracer = HarnessTracer.shared
        let name = "\(request.callee) \(request.route)"
        return try await tracer.hop(name, context: ServiceContext.current ?? .topLevel, kind: .client, request) { span in
            span.attributes["peer.service"] = request.callee.rawValue
            var request = request
            if let trace = span.context.traceContext {
                request.head.headerFields[.traceparent] = trace.traceParentHeaderValue
                if let state = trace.traceStateHeaderValue { request.head.headerFields[.tracestate] = state }
            }
            return try await next(request)
        }
    }
}
