import Foundation
import HarnessContracts
import HarnessCore
import Synchronization
import Tracing
import W3CTraceContext

/// The harness's tracer: W3C trace context on the wire, finished spans kept in memory to read back.
///
/// The stack opens a server span for every request a service answers and `TracingTransportMiddleware`
/// a client span for every call it makes, both with ``shared`` directly: the harness never touches
/// `InstrumentationSystem`, which holds one instrument per process and belongs to the app (bootstrapping
/// it twice traps). ``install()`` makes it the process's instrument too, for a process that has none
/// and wants its own spans (Hummingbird's `TracingMiddleware`, say) kept beside the stack's.
/// It keeps the most recent `capacity` finished spans, so a long-running server does not grow.
public final class HarnessTracer: Tracer, Sendable {
    public static let shared = HarnessTracer()
    private static let installed: Void = InstrumentationSystem.bootstrap(HarnessTracer.shared)

    /// Installs the shared tracer as the process's instrument, once.
    public static func install() { _ = installed }

    let capacity: Int
    private let finished: Mutex<[FinishedSpan]> = Mutex([])

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// Finished spans of the given traces, in the order they ended.
    public func spans(inTraces traces: Set<String>) -> [FinishedSpan] {
        finished.withLock { $0.filter { traces.contains($0.traceID) } }
    }

    /// Finished spans of the given traces, in the order they ended, compared as identifiers.
    func spans(inTraces traces: Set<TraceID>) -> [FinishedSpan] {
        finished.withLock { $0.filter { traces.contains($0.trace) } }
    }

    /// When full, drops the oldest tenth at once: removing one at a time would move every span each time.
    func record(_ span: FinishedSpan) {
        finished.withLock { spans in
            if spans.count >= capacity { spans.removeFirst(max(1, spans.count - capacity * 9 / 10)) }
            spans.append(span)
        }
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> HarnessSpan {
        var context = context()
        var generator = IdentifierRandom()
        let parent = context.traceContext
        let own = TraceContext(
            traceID: parent?.traceID ?? TraceID.random(using: &generator),
            spanID: SpanID.random(using: &generator), flags: parent?.flags ?? .sampled,
            state: parent?.state ?? TraceState())
        context.traceContext = own
        let opened = FinishedSpan(operationName: operationName, kind: kind, trace: own.traceID, span: own.spanID, parent: parent?.spanID)
        return HarnessSpan(context: context, opened: opened, start: instant().nanosecondsSinceEpoch, tracer: self)
    }

    public func activeSpan(identifiedBy context: ServiceContext) -> HarnessSpan? { nil }

    /// A hop's span around `operation`, bound as the task's current context while it runs, with the
    /// request's method and the answer's status: what `withSpan` does, without its generic way through
    /// the `Tracer` protocol, since every hop opens two.
    func hop(
        _ name: String, context: ServiceContext, kind: SpanKind, _ request: ServiceRequest,
        _ operation: (HarnessSpan) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        let span = startSpan(name, context: context, ofKind: kind, at: DefaultTracerClock.now, function: #function, file: #fileID, line: #line)
        defer { span.end(at: DefaultTracerClock.now) }
        span.attributes["http.request.method"] = request.head.method.rawValue
        do {
            let response = try await ServiceContext.withValue(span.context) { try await operation(span) }
            span.attributes["http.response.status_code"] = response.status.code
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return response
        } catch {
            span.recordError(error, attributes: [:], at: DefaultTracerClock.now)
            throw error
        }
    }

    public func forceFlush() {}

    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Carrier == Inject.Carrier {
        guard let trace = context.traceContext else { return }
        injector.inject(trace.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
        if let state = trace.traceStateHeaderValue { injector.inject(state, forKey: "tracestate", into: &carrier) }
    }

    /// Reads `traceparent` (and `tracestate`) by the W3C rules: a malformed header is no parent, and the
    /// request starts a trace of its own.
    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Carrier == Extract.Carrier {
        guard let parent = extractor.extract(key: "traceparent", from: carrier) else { return }
        context.traceContext = try? TraceContext(
            traceParentHeaderValue: parent,
            traceStateHeaderValue: extractor.extract(key: "tracestate", from: carrier))
    }
}

/// A span while it runs; it reports to its tracer when it ends.
public final class HarnessSpan: Span, Sendable {
    public let context: ServiceContext
    let start: UInt64
    let tracer: HarnessTracer
    /// What the span will be once it ends, and whether it has.
    private let state: Mutex<(span: FinishedSpan, ended: Bool)>

    init(context: ServiceContext, opened: FinishedSpan, start: UInt64, tracer: HarnessTracer) {
        self.context = context
        self.start = start
        self.tracer = tracer
        self.state = Mutex((opened, false))
    }

    public var operationName: String {
        get { state.withLock { $0.span.operationName } }
        set { state.withLock { $0.span.operationName = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.span.attributes } }
        set { state.withLock { $0.span.attributes = newValue } }
    }

    public var isRecording: Bool { state.withLock { !$0.ended } }
    public func setStatus(_ status: SpanStatus) { state.withLock { $0.span.isError = status.code == .error } }
    public func addEvent(_ event: SpanEvent) {}
    public func addLink(_ link: SpanLink) {}

    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        state.withLock { $0.span.errors.append("\(error)") }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let end = instant().nanosecondsSinceEpoch
        let finished: FinishedSpan? = state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            state.span.durationNanoseconds = end >= start ? end - start : 0
            return state.span
        }
        if let finished { tracer.record(finished) }
    }
}

/// A span that has ended, as tests and reports read it. Its identifiers are kept as they are made and
/// written out as hex only when read: a stack makes two spans a hop and reads few.
public struct FinishedSpan: Sendable, CustomStringConvertible {
    public var operationName: String
    public var kind: SpanKind
    let trace: TraceID
    let span: SpanID
    let parent: SpanID?
    public var traceID: String { "\(trace)" }
    public var spanID: String { "\(span)" }
    public var parentSpanID: String? { parent.map { "\($0)" } }
    public var attributes: SpanAttributes = [:]
    public var isError = false
    public var errors: [String] = []
    public var durationNanoseconds: UInt64 = 0

    public var description: String { "\(kind) \(operationName) \(spanID) ← \(parentSpanID ?? "root")" }
}

extension ServiceContext {
    /// The W3C trace context of the current span.
    public var traceContext: TraceContext? {
        get { self[TraceContextKey.self] }
        set { self[TraceContextKey.self] = newValue }
    }
}

private enum TraceContextKey: ServiceContextKey {
    typealias Value = TraceContext
}
