import GRDB
import Harness
import HarnessCommands
import PaymentsSystem
import Synchronization

extension BenchScenario {
    /// The work of the Python rebuild of Balanced's approach (`peers/werkzeug-stack`): a debit with an
    /// inline card and an `Idempotency-Key` (payments tokenizes the card at vault, which verifies it
    /// with the processor, asks fraud, then charges through vault and the processor), then
    /// `GET /dashboard/summary?limit=20` (dashboard → payments for the merchant's marketplace and a page
    /// of 20 debits, dashboard → fraud for its statistics).
    static let peerEqual = debitAndSummary(name: "peer-equal", limit: 20)

    /// The same with the summary's default page of 100 debits.
    static let full = debitAndSummary(name: "full", limit: nil)

    static func debitAndSummary(name: String, limit: Int?) -> BenchScenario {
        let summary = limit.map { "/summary?limit=\($0)" } ?? "/summary"
        return BenchScenario(
            name: name, "POST /payments/debits (inline card, Idempotency-Key) + GET /dashboard\(summary)", bareHops: [.payments]
        ) { stack in
            let merchant = try await stack.openMarketplace()
            let keys = Counter()
            return Run(isolation: { debits in try await isolation(of: stack, merchant, debits: debits) }) {
                let debit = try await merchant.payments.post(
                    "/debits",
                    ["amount": 1000, "source": ["number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"]],
                    headers: [.idempotencyKey: "bench-\(keys.next())"])
                guard debit.status == .created else {
                    throw HarnessError("POST /payments/debits answered \(debit.status.code): \(debit.bodyText)")
                }
                let answer = try await merchant.dashboard.get(summary)
                guard answer.status == .ok else {
                    throw HarnessError("GET /dashboard\(summary) answered \(answer.status.code): \(answer.bodyText)")
                }
            }
        }
    }

    /// Each stack holds exactly its own merchant's debits and cards, and its merchant sees only those.
    static func isolation(of stack: Stack, _ merchant: Merchant, debits: Int) async throws -> String? {
        let stored = try await stack.database(.payments).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM debit") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM marketplace") ?? -1)
        }
        let cards = try await stack.database(.vault).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM card") ?? -1 }
        let seen = try await merchant.payments.get("/debits?limit=1").json?["meta"]["total"].int
        guard stored == (debits, 1), cards == debits, seen == debits else {
            return "a stack that made \(debits) debits for 1 marketplace holds \(stored.0) debits, "
                + "\(stored.1) marketplaces and \(cards) cards, and its merchant sees \(seen.map(String.init) ?? "no") debits"
        }
        return nil
    }
}

/// A unique number per call, for idempotency keys.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}
