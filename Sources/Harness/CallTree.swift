import Foundation
import W3CTraceContext

/// The requests a stack carried, each hop under the request whose handler made it: what a failing test
/// prints, so the hop that went wrong shows at once.
///
/// Built from the hops' record and the tracer's spans: a hop's `traceparent` names its client span, whose
/// parent is the server span of the request being handled, whose parent is that request's client span.
public struct CallTree: Sendable, CustomStringConvertible {
    public struct Node: Sendable {
        public var exchange: Exchange
        public var children: [Node]

        /// An error status, or no answer at all.
        public var failed: Bool { exchange.error != nil || (exchange.status ?? 0) >= 400 }
        /// Where it went wrong: a failed hop none of whose own hops failed.
        public var failedHere: Bool { failed && !children.contains(where: \.failed) }
    }

    public var roots: [Node]

    public init(exchanges: [Exchange], spans: [FinishedSpan]) {
        let parentOf = Dictionary(spans.map { ($0.spanID, $0.parentSpanID) }, uniquingKeysWith: { first, _ in first })
        let clientSpans = exchanges.map(Self.clientSpan)
        let indexOfClientSpan = Dictionary(
            clientSpans.enumerated().compactMap { index, span in span.map { ($0, index) } },
            uniquingKeysWith: { first, _ in first })
        // The hop whose handler made this one: client span → server span → the enclosing client span.
        let parents: [Int?] = clientSpans.map { span in
            guard let span, let server = parentOf[span] ?? nil, let enclosing = parentOf[server] ?? nil else { return nil }
            return indexOfClientSpan[enclosing]
        }
        func node(_ index: Int) -> Node {
            Node(exchange: exchanges[index], children: parents.indices.filter { parents[$0] == index }.map(node))
        }
        roots = parents.indices.filter { parents[$0] == nil }.map(node)
    }

    static func clientSpan(_ exchange: Exchange) -> String? {
        exchange.traceparent.flatMap { try? TraceContext(traceParentHeaderValue: $0) }.map { "\($0.spanID)" }
    }

    public var description: String {
        var lines = ["call tree (✗ failed, ← where it went wrong; card numbers and secrets redacted):"]
        func render(_ node: Node, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let exchange = node.exchange
            let outcome = exchange.status.map(String.init) ?? "no answer (\(exchange.error ?? "error"))"
            var line =
                "\(indent)\(node.failed ? "✗" : "✓") \(exchange.caller?.rawValue ?? "client") → \(exchange.callee) \(exchange.route) "
                + "\(outcome) \(Self.milliseconds(exchange.duration))"
            if depth == 0, let trace = exchange.traceID { line += " trace \(trace)" }
            if node.failedHere { line += "  ← failed here" }
            lines.append(line)
            if !exchange.requestBody.isEmpty { lines.append("\(indent)    request  \(Redaction.apply(exchange.requestBody, limit: 400))") }
            if !exchange.responseBody.isEmpty { lines.append("\(indent)    response \(Redaction.apply(exchange.responseBody, limit: 400))") }
            node.children.forEach { render($0, depth: depth + 1) }
        }
        roots.forEach { render($0, depth: 0) }
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "(%.1f ms)", duration.microseconds / 1000)
    }
}

extension Duration {
    public var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }
}
