import Harness
import ServiceKit
import Testing

/// One payment can be followed across every hop it makes.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: Modes.inProcessOnly)))
struct TracingTests {
    @Test(arguments: Modes.all)
    func carriesOneTraceFromPaymentsIntoVaultAndFraud(mode: StackMode) async throws {
        try await withStack(mode) { stack in
            let merchant = try await stack.openMarketplace()
            let before = try stack.exchanges().count
            _ = try await merchant.payments.post("/debits", ["amount": 700, "source": TestCard.visa])
            let hops = Array(try stack.exchanges().dropFirst(before))
            #expect(hops.map { "\($0.caller?.rawValue ?? "client") → \($0.callee) \($0.route)" } == [
                "payments → vault POST /cards", "payments → fraud POST /checks", "client → payments POST /debits",
            ])
            let traces = Set(hops.compactMap(\.traceID))
            #expect(traces.count == 1, "\(hops.map(\.traceparent))")
            #expect(Set(hops.compactMap(\.traceparent)).count == 3, "each hop is its own span")
        }
    }
}
