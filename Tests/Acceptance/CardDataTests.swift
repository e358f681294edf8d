import GRDB
import HTTPTypes
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
        try await withStack(.payments, mode, logs: logs, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            // What payments sends vault: the numbers must be there, or searching for them proves nothing.
            let sentToVault = Mutex<[String]>([])
            try stack.tap(.vault) { request, _ in sentToVault.withLock { $0.append(String(buffer: request.body)) } }
            var bodies: [String] = []
            let card = TestCard.card(number, cvv: "321")
            let tokenized = try await merchant.payments.post("/cards", card)
            bodies.append(tokenized.bodyText)
            let id = try #require(tokenized.json?["cards"][0]["id"].string)
            let form = try await stack.payments.send(
                .post, "/cards", raw: "number=\(number)&expiration_month=1&expiration_year=2030",
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
            // A keyed inline debit, its replay, and the key reused with another code: the 409 names the
            // fields that differ, never a value.
            let key: HTTPFields = [.idempotencyKey: uniqueMarker("inline")]
            let first = try await merchant.payments.post("/debits", ["amount": 400, "source": card], headers: key)
            let replay = try await merchant.payments.post("/debits", ["amount": 400, "source": card], headers: key)
            #expect(first.status == .created && replay.json == first.json)
            var otherCode = card.object ?? [:]
            otherCode["cvv"] = "322"
            let reused = try await merchant.payments.post("/debits", ["amount": 401, "source": .object(otherCode)], headers: key)
            let description = try #require(reused.json?["errors"][0]["description"].string)
            #expect(
                reused.status == .conflict && description.contains("these fields differ from its first request: amount, source.cvv."),
                "\(description)")
            #expect(!description.contains("401") && !description.contains("322"))
            bodies += [first.bodyText, replay.bodyText, reused.bodyText]
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
                // As a token of its own: ids (letters and digits) and whole numbers hold "321" by chance.
                let tokens = dump.split { !$0.isLetter && !$0.isNumber }
                #expect(!tokens.contains("321") && !tokens.contains("322"), "\(service)'s database holds the security code")
            }
            let vaultRows = try await stack.database(.vault).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM card") }
            #expect(vaultRows == 5, "vault holds the five valid cards (one tokenized by the keyed inline debit), encrypted")
            let lines = try stack.logLines()
            #expect(lines.count > 10, "the services did log")
            #expect(lines.allSatisfy { !$0.contains(number) && !$0.contains(visa) }, "\(lines.filter { $0.contains(number) || $0.contains(visa) })")
        }
    }
}
