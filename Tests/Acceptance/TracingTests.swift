import Harness
import PaymentsSystem
import ServiceKit
import Testing
import Tracing

/// One payment can be followed across every hop it makes.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: Modes.inProcessOnly)))
struct TracingTests {
    @Test(arguments: Modes.all)
    func carriesOneTraceFromPaymentsIntoVaultAndFraud(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let before = try stack.exchanges().count
            _ = try await merchant.payments.post("/debits", ["amount": 700, "source": TestCard.visa])
            let hops = Array(try stack.exchanges().dropFirst(before))
            #expect(
                hops.map { "\($0.caller?.rawValue ?? "client") → \($0.callee) \($0.route)" } == [
                    "vault → processor POST /authorize", "payments → vault POST /cards", "payments → fraud POST /checks",
                    "vault → processor POST /authorize", "payments → vault POST /authorizations", "client → payments POST /debits",
                ])
            let trace = try #require(Set(hops.compactMap(\.traceID)).only, "\(hops.map(\.traceparent))")
            #expect(Set(hops.compactMap(\.traceparent)).count == 6, "each hop is its own span")

            let spans = try stack.spans().filter { $0.traceID == trace }
            func span(_ kind: String, _ name: String) throws -> FinishedSpan {
                try #require(spans.first { "\($0.kind)" == kind && $0.operationName == name }, "\(spans)")
            }
            let call = try span("client", "payments POST /debits")
            let debits = try span("server", "/debits")
            #expect(call.parentSpanID == nil)
            #expect(debits.parentSpanID == call.spanID, "payments continues the caller's span")
            for (peer, route, endpoint) in [
                ("vault", "POST /cards", "/cards"), ("fraud", "POST /checks", "/checks"),
                ("vault", "POST /authorizations", "/authorizations"),
            ] {
                let out = try span("client", "\(peer) \(route)")
                let handled = try span("server", endpoint)
                #expect(out.parentSpanID == debits.spanID, "payments calls \(peer) while handling the debit")
                #expect(handled.parentSpanID == out.spanID, "\(peer) continues payments' call")
                #expect(handled.attributes.get("http.response.status_code") == .int64(201))
            }
            // Vault asks the processor while tokenizing (a verification) and while authorizing the charge.
            let vaultSpans = Set(spans.filter { "\($0.kind)" == "server" && ["/cards", "/authorizations"].contains($0.operationName) }.map(\.spanID))
            let toProcessor = spans.filter { "\($0.kind)" == "client" && $0.operationName == "processor POST /authorize" }
            #expect(toProcessor.count == 2 && toProcessor.allSatisfy { vaultSpans.contains($0.parentSpanID ?? "") })
            #expect(spans.count == 12, "\(spans)")
        }
    }
}

/// The process's instrument is the app's: an app that bootstrapped its own tracer (here one that records
/// nothing) before any stack booted still gets every hop traced and the call tree built, and nothing traps.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: Modes.inProcessOnly)))
struct TracingBesideTheAppsOwnTracerTests {
    /// Bootstrapping twice traps, so the process does it once, as an app's `main` would.
    static let appBootstrapped: Void = InstrumentationSystem.bootstrap(NoOpTracer())

    @Test func tracesEveryHopWhateverTracerTheAppBootstrapped() async throws {
        _ = Self.appBootstrapped
        try await withStack(.payments, .inMemory, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let before = try stack.exchanges().count
            _ = try await merchant.payments.post("/debits", ["amount": 700, "source": TestCard.visa])
            let debit = try #require(try stack.callTree().roots.last)
            let hops = try stack.exchanges().count - before
            #expect(debit.exchange.route == "POST /debits" && hops == 6)
            #expect(
                debit.children.map { "\($0.exchange.callee) \($0.exchange.route)" } == [
                    "vault POST /cards", "fraud POST /checks", "vault POST /authorizations",
                ])
        }
    }
}

extension Set {
    /// The one element of a set that has exactly one.
    var only: Element? { count == 1 ? first : nil }
}
