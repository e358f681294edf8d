import HTTPTypes

/// W3C trace context, carried from an inbound request to every call it makes.
///
/// The inbound middleware binds the request's `traceparent`; outbound calls made while handling it
/// continue the same trace with a new span, so one payment can be followed across every hop.
public struct TraceContext: Sendable, Hashable {
    public var traceID: String
    public var spanID: String

    @TaskLocal public static var current: TraceContext?

    public static let header = HTTPField.Name("traceparent")!

    public init(traceID: String, spanID: String) {
        self.traceID = traceID
        self.spanID = spanID
    }

    /// Parses `00-<32 hex>-<16 hex>-<2 hex>`; anything else is no trace.
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-")
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16,
              parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit) else { return nil }
        self.init(traceID: String(parts[1]), spanID: String(parts[2]))
    }

    /// The context for the next outbound call: same trace, new span.
    public static func child(of parent: TraceContext?) -> TraceContext {
        TraceContext(traceID: parent?.traceID ?? hex(16), spanID: hex(8))
    }

    public var traceparent: String { "00-\(traceID)-\(spanID)-01" }

    /// `bytes` random bytes as lowercase hex, 64 bits of system randomness at a time.
    static func hex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<(bytes + 7) / 8).map { _ in
            let word = String(generator.next(), radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined().prefix(bytes * 2).description
    }
}
