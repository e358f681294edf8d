import Foundation
import GRDB
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Every hop between services × every kind of fault, in memory on the stack's clock: what the merchant
/// gets, and the books and logs afterwards. The hop × fault table of the Faults article (Sources/Harness/Harness.docc/Faults.md) is `expected` below.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "injects faults into the stack's hops, which \(Modes.inProcessOnly)")))
struct FaultMatrixTests {
    static let hops = [
        "payments → vault POST /cards", "payments → vault GET /cards/{id}", "payments → fraud POST /checks",
        "payments → fraud POST /underwriting", "dashboard → payments GET /marketplaces", "dashboard → payments GET /debits",
        "dashboard → fraud GET /checks/stats", "payments → vault POST /authorizations", "payments → vault POST /authorizations/{id}/captures",
        "payments → vault POST /authorizations/{id}/reversals", "payments → vault POST /authorizations/{id}/refunds",
        "vault → processor POST /authorize",
    ]
    static let faults: [(String, Fault)] = [
        ("latency 1 s", .latency(.seconds(1))), ("timeout", .timeout(after: .seconds(30))), ("reset", .connectionReset),
        ("503", .status(503)), ("truncated", .truncatedBody), ("garbled", .garbledBody), ("slow body 1 s", .slowBody(.seconds(1))),
    ]

    /// The scenario's eight answers: a customer (fraud underwrites), a card (vault tokenizes), a debit of
    /// that card (vault reads it, fraud checks, vault authorizes) sent twice with one Idempotency-Key, a
    /// debit of an inline card, the dashboard's summary, a hold captured, a hold voided and a refund of
    /// the inline debit (each of the last three the first refusal of its two steps). Every refusal has
    /// Balanced's error body, and payments stores exactly the debits it answered 201 for.
    func scenario(_ stack: Stack) async throws -> [Int] {
        let merchant = try await stack.openMarketplace()
        let customer = try await merchant.payments.post("/customers", ["name": "Ada Lovelace", "email": "ada@example.com"])
        let card = try await merchant.payments.post("/cards", TestCard.visa)
        var byID: [ServiceResponse] = []
        var settling: [ServiceResponse] = []
        let id = card.json?["cards"][0]["id"].string
        if let id {
            for _ in 0..<2 {
                byID.append(try await merchant.payments.post("/cards/\(id)/debits", ["amount": 1000], headers: [.idempotencyKey: "matrix"]))
            }
            #expect(byID[0].status == byID[1].status, "a retry with the key answers as the first did")
        }
        let inline = try await merchant.payments.post("/debits", ["amount": 1100, "source": TestCard.visa])
        let summary = try await merchant.dashboard.get("/summary")
        /// A hold, then `then` on it: the hold's answer if it was refused, else `then`'s.
        func onHold(_ then: (String) async throws -> ServiceResponse) async throws -> ServiceResponse? {
            guard let id else { return nil }
            let hold = try await merchant.payments.post("/cards/\(id)/card_holds", ["amount": 600])
            guard let holdID = hold.json?["card_holds"][0]["id"].string, hold.status == .created else { return hold }
            return try await then(holdID)
        }
        let capture = try await onHold { try await merchant.payments.post("/card_holds/\($0)/debits", ["amount": 500]) }
        let void = try await onHold { try await merchant.payments.delete("/card_holds/\($0)") }
        var refund: ServiceResponse?
        if let debit = inline.json?["debits"][0]["id"].string, inline.status == .created {
            refund = try await merchant.payments.post("/debits/\(debit)/refunds", ["amount": 100])
        }
        settling = [capture, void, refund].compactMap { $0 }
        let answers = [customer, card] + byID.prefix(1) + [inline, summary] + settling
        for answer in answers where answer.status.code >= 400 {
            let error = answer.json?["errors"][0] ?? .null
            #expect(error["category_code"].string != nil && error["request_id"].string?.hasPrefix("OHM") == true, "\(answer.bodyText)")
        }
        let debits = byID + [inline] + [capture].compactMap { $0 }
        let charged = Set(debits.filter { $0.status == .created }.compactMap { $0.json?["debits"][0]["id"].string })
        let stored = try await stack.database(.payments).read { try String.fetchAll($0, sql: "SELECT id FROM debit") }
        #expect(Set(stored) == charged && stored.count == charged.count, "payments stores exactly the debits it answered 201 for")
        return [
            customer.status.code, card.status.code, byID.first?.status.code ?? 0, inline.status.code, summary.status.code,
            capture?.status.code ?? 0, void?.status.code ?? 0, refund?.status.code ?? 0,
        ]
    }

    @Test(arguments: hops)
    func keepsTheBooksWhateverAHopDoes(_ hop: String) async throws {
        let parts = hop.split(separator: " ")
        let (caller, callee, route) = (ServiceName(String(parts[0])), ServiceName(String(parts[2])), "\(parts[3]) \(parts[4])")
        var row: [String] = []
        for (name, fault) in Self.faults {
            let logs = LogCapture()
            let statuses = try await withStack(.payments, .inMemory, logs: logs, configuration: .suite) { stack in
                try stack.inject(fault, into: callee, from: caller, route: route)
                let statuses = try await scenario(stack)
                try await checkBooks(stack, "\(hop) × \(name)")
                #expect(try stack.injectedFaults().isEmpty == false, "\(hop) × \(name): the scenario crossed the hop")
                return statuses
            }
            #expect(Set(statuses).isSubset(of: [0, 200, 201, 502, 503]), "\(hop) × \(name): an undocumented status in \(statuses)")
            #expect(!logs.all.contains { $0.contains("4111111111111111") }, "\(hop) × \(name): a card number was logged")
            row.append(statuses.map(String.init).joined(separator: " "))
        }
        #expect(row == Self.expected[hop], "\(hop): \(row)")
    }

    /// The ledger balances and every succeeded debit has its two entries.
    func checkBooks(_ stack: Stack, _ cell: String) async throws {
        let (imbalance, unbooked) = try await stack.database(.payments).read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entry") ?? -1,
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM debit d WHERE d.status = 'succeeded'
                        AND (SELECT COUNT(*) FROM ledger_entry e WHERE e.transaction_id = d.id) != 2
                        """) ?? -1
            )
        }
        #expect(imbalance == 0 && unbooked == 0, "\(cell): ledger off by \(imbalance), \(unbooked) debits without their entries")
    }

    /// Customer, card, debit by id, inline debit, summary, capture, void, refund — per fault, in `faults` order (0: not tried).
    static let expected: [String: [String]] = [
        "payments → vault POST /cards": [
            "201 201 201 201 200 201 200 201", "201 503 0 503 200 0 0 0", "201 503 0 503 200 0 0 0", "201 502 0 502 200 0 0 0",
            "201 502 0 502 200 0 0 0", "201 502 0 502 200 0 0 0", "201 201 201 201 200 201 200 201",
        ],
        "payments → vault GET /cards/{id}": [
            "201 201 201 201 200 201 200 201", "201 201 503 201 200 503 503 201", "201 201 503 201 200 503 503 201",
            "201 201 502 201 200 502 502 201",
            "201 201 502 201 200 502 502 201", "201 201 502 201 200 502 502 201", "201 201 201 201 200 201 200 201",
        ],
        "payments → fraud POST /checks": [
            "201 201 201 201 200 201 200 201", "201 201 503 503 200 503 503 0", "201 201 503 503 200 503 503 0", "201 201 502 502 200 502 502 0",
            "201 201 502 502 200 502 502 0", "201 201 502 502 200 502 502 0", "201 201 201 201 200 201 200 201",
        ],
        "payments → fraud POST /underwriting": [
            "201 201 201 201 200 201 200 201", "503 201 201 201 200 201 200 201", "503 201 201 201 200 201 200 201",
            "502 201 201 201 200 201 200 201",
            "502 201 201 201 200 201 200 201", "502 201 201 201 200 201 200 201", "201 201 201 201 200 201 200 201",
        ],
        "dashboard → payments GET /marketplaces": [
            "201 201 201 201 200 201 200 201", "201 201 201 201 503 201 200 201", "201 201 201 201 503 201 200 201",
            "201 201 201 201 502 201 200 201",
            "201 201 201 201 502 201 200 201", "201 201 201 201 502 201 200 201", "201 201 201 201 200 201 200 201",
        ],
        "dashboard → payments GET /debits": [
            "201 201 201 201 200 201 200 201", "201 201 201 201 503 201 200 201", "201 201 201 201 503 201 200 201",
            "201 201 201 201 502 201 200 201",
            "201 201 201 201 502 201 200 201", "201 201 201 201 502 201 200 201", "201 201 201 201 200 201 200 201",
        ],
        "dashboard → fraud GET /checks/stats": [
            "201 201 201 201 200 201 200 201", "201 201 201 201 503 201 200 201", "201 201 201 201 503 201 200 201",
            "201 201 201 201 502 201 200 201",
            "201 201 201 201 502 201 200 201", "201 201 201 201 502 201 200 201", "201 201 201 201 200 201 200 201",
        ],
        "payments → vault POST /authorizations": [
            "201 201 201 201 200 201 200 201", "201 201 503 503 200 503 503 0", "201 201 503 503 200 503 503 0", "201 201 502 502 200 502 502 0",
            "201 201 502 502 200 502 502 0", "201 201 502 502 200 502 502 0", "201 201 201 201 200 201 200 201",
        ],
        "payments → vault POST /authorizations/{id}/captures": [
            "201 201 201 201 200 201 200 201", "201 201 201 201 200 503 200 201", "201 201 201 201 200 503 200 201",
            "201 201 201 201 200 502 200 201",
            "201 201 201 201 200 502 200 201", "201 201 201 201 200 502 200 201", "201 201 201 201 200 201 200 201",
        ],
        "payments → vault POST /authorizations/{id}/reversals": [
            "201 201 201 201 200 201 200 201", "201 201 201 201 200 201 503 201", "201 201 201 201 200 201 503 201",
            "201 201 201 201 200 201 502 201",
            "201 201 201 201 200 201 502 201", "201 201 201 201 200 201 502 201", "201 201 201 201 200 201 200 201",
        ],
        "payments → vault POST /authorizations/{id}/refunds": [
            "201 201 201 201 200 201 200 201", "201 201 201 201 200 201 200 503", "201 201 201 201 200 201 200 503",
            "201 201 201 201 200 201 200 502",
            "201 201 201 201 200 201 200 502", "201 201 201 201 200 201 200 502", "201 201 201 201 200 201 200 201",
        ],
        "vault → processor POST /authorize": [
            "201 201 201 201 200 201 200 201", "201 502 0 502 200 0 0 0", "201 502 0 502 200 0 0 0", "201 502 0 502 200 0 0 0",
            "201 502 0 502 200 0 0 0", "201 502 0 502 200 0 0 0", "201 201 201 201 200 201 200 201",
        ],
    ]
}
