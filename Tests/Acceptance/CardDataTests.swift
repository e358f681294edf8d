import GRDB
import Harness
import PaymentsSystem
import ServiceKit
import Synchronization
import Testing

/// The card number exists in one place: encrypted, in vault's database.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "reads every service's database and log, which \(Modes.inProcessOnly)")))
struct CardDataTests {
    @Test(arguments: Modes.all)
    func keepsTheNumberOutOfEveryOtherDatabaseLogAndResponse(mode: StackMode) async throws {
        let number = "5105105105105100"
        let logs = LogCapture()
        let visa = "4111111111111111"
        try await withStack(.payments, mode, logs: logs, contracts: .checkedIn) { stack in
            let merchant = try await stack.openMarketplace()
            // What payments sends vault: the numbers must be there, or searching for them proves nothing.
            let sentToVault = Mutex<[String]>([])
            try stack.tap(.vault) { request, _ in sentToVault.withLock { $0.append(String(buffer: request.body)) } }
            var bodies: [String] = []
            let card = TestCard.card(number, cvv: "321")
            let tokenized = try await merchant.payments.post("/cards", card)
            bodies.append(tokenized.bodyText)
            let id = try #require(tokenized.json?["cards"][0]["id"].string)
            let form = try await stack.payments.send(.post, "/cards", raw: "number=\(number)&expiration_month=1&expiration_year=2030",
                                                     headers: [.contentType: "application/x-www-form-urlencoded"])
            bodies.append(form.bodyText)
            for response in [
                try await merchant.payments.post("/cards/\(id)/debits", ["amount": 100]),
                try await merchant.payments.post("/debits", ["amount": 200, "source": card]),
                try await merchant.payments.post("/debits", ["amount": 250, "source": TestCard.visa]),
                try await merchant.payments.post("/cards/\(id)/card_holds", ["amount": 300]),
                try await merchant.payments.post("/cards", TestCard.card("5105105105105101", cvv: "321")),
                try await merchant.payments.get("/cards/\(id)"),
                try await merchant.dashboard.get("/summary"),
            ] {
                bodies.append(response.bodyText)
            }
            for body in bodies { #expect(!body.contains(number) && !body.contains(visa), "\(body)") }
            let seen = sentToVault.withLock { $0 }
            #expect(seen.contains { $0.contains(number) } && seen.contains { $0.contains(visa) }, "vault was sent both numbers")

            for service in stack.system.names {
                let dump = try await stack.database(service).read { db in
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'").map { table in
                        try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description).joined(separator: "\n")
                    }.joined(separator: "\n")
                }
                #expect(!dump.contains(number), "\(service)'s database holds the card number")
                #expect(!dump.contains(visa), "\(service)'s database holds the Visa test card's number")
            }
            let vaultRows = try await stack.database(.vault).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM card") }
            #expect(vaultRows == 4, "vault holds the four valid cards, encrypted")
            let lines = try stack.logLines()
            #expect(lines.count > 10, "the services did log")
            #expect(lines.allSatisfy { !$0.contains(number) && !$0.contains(visa) }, "\(lines.filter { $0.contains(number) || $0.contains(visa) })")
        }
    }
}
