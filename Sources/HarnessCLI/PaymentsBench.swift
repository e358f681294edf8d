import GRDB
import Harness
import HarnessCommands
import PaymentsSystem

extension BenchScenario {
    /// `POST /payments/debits` with an inline card (payments tokenizes it at vault, which verifies it with
    /// the processor, asks fraud, then charges through vault and the processor) then `GET /dashboard/summary`
    /// (dashboard → payments for the merchant's marketplace and its debits, dashboard → fraud).
    static let debitAndSummary = BenchScenario(
        "POST /payments/debits (inline card) + GET /dashboard/summary", bareHop: .payments
    ) { stack in
        let merchant = try await stack.openMarketplace()
        return Run(isolation: { debits in try await isolation(of: stack, merchant, debits: debits) }) {
            let debit = try await merchant.payments.post(
                "/debits",
                ["amount": 1000, "source": ["number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"]])
            guard debit.status == .created else {
                throw HarnessError("POST /payments/debits answered \(debit.status.code): \(debit.bodyText)")
            }
            let summary = try await merchant.dashboard.get("/summary")
            guard summary.status == .ok else {
                throw HarnessError("GET /dashboard/summary answered \(summary.status.code): \(summary.bodyText)")
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
