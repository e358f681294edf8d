import HTTPTypes
import Harness
import Testing
import Tracing

@Suite struct HarnessTracerTests {
    struct Fields: Extractor, Injector {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    }

    func child(of traceparent: String?) -> (parent: ServiceContext, injected: [String: String]) {
        let tracer = HarnessTracer()
        var context = ServiceContext.topLevel
        tracer.extract(traceparent.map { ["traceparent": $0] } ?? [:], into: &context, using: Fields())
        let span = tracer.startSpan("call", context: context, ofKind: .client)
        var carrier: [String: String] = [:]
        tracer.inject(span.context, into: &carrier, using: Fields())
        return (context, carrier)
    }

    @Test func continuesTheCallersTraceWithANewSpan() throws {
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let sent = try #require(child(of: parent).injected["traceparent"])
        let parts = sent.split(separator: "-").map(String.init)
        #expect(parts.count == 4)
        #expect(parts[0] == "00")
        #expect(parts[1] == "4bf92f3577b34da6a3ce929d0e0e4736", "same trace")
        #expect(parts[2] != "00f067aa0ba902b7" && parts[2].count == 16, "a span of its own")
        #expect(parts[3] == "01", "sampled, as the caller was")
    }

    @Test(arguments: [
        "garbage", "00-xyz-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
    ])
    func startsATraceOfItsOwnForAMalformedParent(traceparent: String) throws {
        let sent = try #require(child(of: traceparent).injected["traceparent"])
        #expect(!sent.contains("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(sent.count == 55)
    }

    @Test func recordsFinishedSpansWithTheirParents() throws {
        let tracer = HarnessTracer(capacity: 3)
        let root = tracer.startSpan("root", context: .topLevel, ofKind: .server)
        let child = tracer.startSpan("child", context: root.context, ofKind: .client)
        child.end()
        root.end()
        root.end()
        var carrier: [String: String] = [:]
        tracer.inject(root.context, into: &carrier, using: Fields())
        let trace = String(try #require(carrier["traceparent"]).split(separator: "-")[1])
        let spans = tracer.spans(inTraces: [trace])
        #expect(spans.map(\.operationName) == ["child", "root"], "each span once, in the order they ended")
        #expect(spans[0].parentSpanID == spans[1].spanID)
        #expect(spans[1].parentSpanID == nil)
        for _ in 0..<5 { tracer.startSpan("more", context: .topLevel, ofKind: .internal).end() }
        #expect(tracer.spans(inTraces: [trace]).isEmpty, "only the most recent spans are kept")
    }
}
