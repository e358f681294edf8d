import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// A failing test's story: every hop under the request that made it, the hop that went wrong marked.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "reads the stack's hops and spans, which \(Modes.inProcessOnly)")))
struct CallTreeTests {
    @Test(arguments: Modes.all)
    func marksTheHopThatFailedUnderTheRequestThatMadeIt(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.inject(.status(503), into: .fraud, from: .payments, route: "POST /checks")
            let response = try await merchant.payments.post("/debits", ["amount": 1200, "source": TestCard.visa])
            #expect(response.status.code == 502)
            let tree = try stack.callTree()
            let debit = try #require(tree.roots.last)
            #expect(debit.exchange.route == "POST /debits" && debit.exchange.caller == nil && debit.failed && !debit.failedHere)
            #expect(
                debit.children.map { "\($0.exchange.callee) \($0.exchange.route) \($0.exchange.status ?? 0)" }
                    == ["vault POST /cards 201", "fraud POST /checks 503"])
            #expect(debit.children.map(\.failedHere) == [false, true])
            let text = tree.description
            let lines = text.split(separator: "\n")
            #expect(lines.filter { $0.contains("← failed here") }.count == 1)
            #expect(lines.contains { $0.hasPrefix("  ✗ payments → fraud POST /checks 503") && $0.hasSuffix("← failed here") }, "\(text)")
            #expect(lines.contains { $0.hasPrefix("✗ client → payments POST /debits 502") && $0.contains("trace ") }, "\(text)")
            #expect(!text.contains("4111111111111111") && text.contains("••••••••••••1111"), "card numbers redacted")
            #expect(!text.contains(#""cvv":"123""#) && text.contains(#""cvv":"•••""#), "security codes redacted")
            #expect(!text.contains(merchant.secret), "secrets never printed")
        }
    }

    @Test func namesAHopThatGotNoAnswer() async throws {
        try await withStack(.payments, .inMemory, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.inject(.connectionReset, into: .vault, from: .payments)
            _ = try await merchant.payments.post("/debits", ["amount": 1200, "source": TestCard.visa])
            let vault = try #require(try stack.callTree().roots.last?.children.first)
            #expect(vault.failedHere && vault.exchange.status == nil)
            #expect(try stack.callTree().description.contains("payments → vault POST /cards no answer (the connection of POST /cards was reset)"))
        }
    }
}
