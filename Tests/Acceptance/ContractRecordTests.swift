import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Drift that no scenario asserts still fails the run: a provider stops sending a field its consumer
/// reads optionally, and the consumer would silently take its default.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites vault's response in flight, which \(Modes.inProcessOnly)")))
struct ContractRecordTests {
    @Test(arguments: Modes.all)
    func failsTheRunWhenAnOptionalFieldIsRenamed(mode: StackMode) async throws {
        // What payments reads of a debit's answers, learned from a run without drift.
        let learned = try await withStack(.payments, mode) { stack in
            let merchant = try await stack.openMarketplace()
            _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.cvvMismatch])
            return try stack.contracts()
        }
        let drift = await #expect(throws: HarnessError.self) {
            try await withStack(.payments, mode, contracts: learned) { stack in
                let merchant = try await stack.openMarketplace()
                try stack.intercept(.vault, from: .payments) { request, next in
                    try await next(request).rewritingJSON { $0 = $0.renamingKey("cvv_match", to: "cvv_result") }
                }
                // The debit still succeeds: payments reads cvv_match optionally and takes nil.
                let debit = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.cvvMismatch])
                #expect(debit.status == .created)
            }
        }
        let message = drift?.description ?? ""
        for part in ["payments reads vault POST /cards `cvv_match` optionally", "read but defaulted",
                     "likely rename of `cvv_match` to `cvv_result`"] {
            #expect(message.contains(part), "\(message)")
        }
    }
}
