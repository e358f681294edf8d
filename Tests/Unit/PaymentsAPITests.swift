import Foundation
import GRDB
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import Payments

/// Payments' routes, one service alone: what each answers and what it stores.
@Suite struct PaymentsAPITests {
    // Spelled here: @testable Payments and PaymentsSystem both name these headers.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let visa: JSON = ["number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"]

    @Test func opensAMarketplaceAndManagesItsKeys() async throws {
        let payments = try PaymentsAlone()
        let created = try await payments.anonymous.post("/api_keys", ["meta": ["team": "unit"]]).first("api_keys", 201)
        let secret = try #require(created["secret"].string)
        let merchant = payments.anonymous.authenticated(as: secret)
        let id = try #require(created["id"].string)
        #expect(try await merchant.get("/api_keys/\(id)").first("api_keys", 200)["secret"].isNull, "the secret is shown once")
        #expect(try await merchant.get("/api_keys/AKnope").category(404) == "not-found")
        let second = try await merchant.post("/api_keys", [:]).first("api_keys", 201)
        let keys = try #require(try await merchant.get("/api_keys").json)
        #expect(Set(keys["api_keys"].array?.compactMap { $0["id"].string } ?? []) == [id, second["id"].string!])
        let other = payments.anonymous.authenticated(as: try #require(second["secret"].string))
        #expect(try await other.get("/api_keys/\(id)").status == .ok, "a second key of the same marketplace")

        #expect(try await merchant.get("/marketplaces").json?["meta"]["total"] == 1)
        let market = try await merchant.post("/marketplaces", ["name": "Unit Market"]).first("marketplaces", 201)
        #expect(market["name"] == "Unit Market")
        #expect(market["in_escrow"] == 0)
        #expect(try await merchant.post("/marketplaces", [:]).category(409) == "marketplace-already-created")
        let listed = try await merchant.get("/marketplaces").first("marketplaces", 200)
        #expect(listed["links"]["owner_customer"] == market["links"]["owner_customer"])
    }

    @Test func refusesCallersWithoutAValidKey() async throws {
        let payments = try PaymentsAlone()
        #expect(try await payments.anonymous.get("/debits").category(401) == "authentication-required")
        let bearer = try await payments.anonymous.get("/debits", headers: [.authorization: "Bearer abc"])
        #expect(try bearer.category(401) == "authentication-required")
        #expect(bearer.json?["errors"][0]["description"].string?.hasPrefix("The Authorization header is not HTTP Basic.") == true)
        let wrong = try await payments.anonymous.authenticated(as: "ak-test-nope").get("/debits")
        #expect(wrong.json?["errors"][0]["description"].string?.hasPrefix("No API key has this secret.") == true)
    }

    @Test func tokenizesReadsUpdatesAndDeletesCards() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try await merchant.post("/cards", Self.visa).first("cards", 201)
        let id = try #require(card["id"].string)
        #expect(card["number"] == "xxxxxxxxxxxx1111")
        #expect(card["cvv_result"] == "Match")
        #expect(try await merchant.get("/cards/\(id)").first("cards", 200)["id"] == card["id"])
        #expect(try await merchant.put("/cards/\(id)", ["name": "Renamed", "meta": ["a": 1]]).first("cards", 200)["meta"] == ["a": "1"])
        let customer = try await merchant.post("/customers", ["name": "Ada"]).first("customers", 201)
        let linked = try await merchant.patch("/cards/\(id)", [["op": "add", "path": "/cards/0/links/customer", "value": customer["id"]]])
        #expect(try linked.first("cards", 200)["links"]["customer"] == customer["id"])
        #expect(try await merchant.put("/cards/\(id)", ["links": ["customer": "CUnope"]]).category(404) == "not-found")
        #expect(try await merchant.get("/customers/\(customer["id"].string!)/cards").json?["meta"]["total"] == 1)
        #expect(try await merchant.get("/cards/\(id)/disputes").json?["meta"]["total"] == 0)
        #expect(try await merchant.get("/cards").json?["meta"]["total"] == 1)
        #expect(try await merchant.delete("/cards/\(id)").status == .noContent)
        #expect(try await merchant.get("/cards").json?["meta"]["total"] == 0, "a deleted card leaves the list")
        #expect(try await merchant.post("/cards", ["expiration_month": 1]).category(400) == "request", "vault's complaint, passed on")
    }

    @Test func givesABrowserOnlyAToken_andTheFirstMarketplaceToUseItTheCard() async throws {
        let payments = try PaymentsAlone()
        let form = try await payments.anonymous.send(
            .post, "/cards", raw: "number=4111+1111+1111+1111&expiration_month=12&expiration_year=2030",
            headers: [.contentType: "application/x-www-form-urlencoded"])
        let token = try form.first("cards", 201)
        #expect(token.object?.keys.sorted() == ["href", "id", "links"], "no card details without a key")
        let id = try #require(token["id"].string)
        let merchant = try await payments.merchant()
        #expect(try await merchant.get("/cards/\(id)").first("cards", 200)["number"] == "xxxxxxxxxxxx1111")
        let owner = try await payments.service.database.read { try Card.fetchOne($0, key: id)?.tenantId }
        #expect(owner != nil, "claimed by the marketplace that used it")
        let other = try await payments.merchant()
        #expect(try await other.get("/cards/\(id)").category(404) == "not-found")
    }

    @Test func adoptsAVaultCardPaymentsHasNotSeen() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let tokenized = try await payments.transport.client(.vault).post("/cards", Self.visa)
        let id = try #require(tokenized.json?["id"].string)
        #expect(try await merchant.get("/resources/\(id)").first("cards", 200)["id"].string == id)
        #expect(try await merchant.get("/resources/XXnope").category(404) == "not-found")
    }

    @Test func debitsByHrefIdOrInlineCardAndRefunds() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        for source: JSON in [.string("/cards/\(card)"), .string(card), Self.visa] {
            let debit = try await merchant.post("/debits", ["amount": 1000, "source": source, "appears_on_statement_as": "Unit"]).first("debits", 201)
            #expect(debit["status"] == "succeeded")
            #expect(debit["appears_on_statement_as"] == "BAL*Unit")
        }
        #expect(try await merchant.post("/debits", ["amount": 1000]).category(400) == "request")
        #expect(try await merchant.post("/debits", ["amount": 1000, "source": 5]).category(400) == "request")
        let page = try #require(try await merchant.get("/debits?limit=2").json)
        #expect(page["meta"]["total"] == 3)
        #expect(page["debits"].array?.count == 2)
        let debit = try #require(page["debits"][0]["id"].string)
        #expect(try await merchant.put("/debits/\(debit)", ["description": "Order 7"]).first("debits", 200)["description"] == "Order 7")
        #expect(try await merchant.get("/debits/\(debit)").first("debits", 200)["description"] == "Order 7")

        let refund = try await merchant.post("/debits/\(debit)/refunds", ["amount": 400, "description": "partial"]).first("refunds", 201)
        let refundID = try #require(refund["id"].string)
        #expect(try await merchant.post("/debits/\(debit)/refunds", ["amount": 601]).category(400) == "invalid-amount")
        #expect(try await merchant.post("/debits/\(debit)/refunds", [:]).first("refunds", 201)["amount"] == 600)
        #expect(try await merchant.post("/debits/\(debit)/refunds", [:]).category(409) == "debit-already-refunded")
        #expect(try await merchant.get("/debits/\(debit)/refunds").json?["meta"]["total"] == 2)
        #expect(
            payments.fakes.settlements.withLock { $0 }.filter { $0.hasSuffix("/refunds") }.count == 2,
            "each refund was made at the processor, through vault; the refused ones were not")
        #expect(try await merchant.get("/refunds").json?["meta"]["total"] == 2)
        #expect(try await merchant.put("/refunds/\(refundID)", ["meta": ["why": "damaged"]]).first("refunds", 200)["meta"] == ["why": "damaged"])
        #expect(try await merchant.get("/resources/\(refundID)").first("refunds", 200)["amount"] == 400)
        #expect(try await merchant.get("/resources/\(debit)").first("debits", 200)["id"].string == debit)
        let imbalance = try await payments.service.database.read { try Ledger.imbalance(in: $0) }
        #expect(imbalance == 0)

        payments.fakes.verdict.withLock { $0 = ("reject", "pass") }
        let failed = try await merchant.post("/cards/\(card)/debits", ["amount": 500]).first("debits", 201)
        #expect(failed["status"] == "failed")
        #expect(failed["failure_reason_code"] == "high-risk")
        #expect(try await merchant.post("/debits/\(failed["id"].string!)/refunds", [:]).category(409) == "refund-invalid-debit-state")
    }

    @Test func filtersSortsAndPagesListsAndVoidsAHoldUpdatedWithIsVoid() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        for amount in [300, 100, 200] {
            _ = try await merchant.post("/cards/\(card)/debits", ["amount": .number(Double(amount))]).first("debits", 201)
        }
        let sorted = try #require(try await merchant.get("/debits?sort=amount,asc&amount%5B%3E%5D=100&limit=1").json)
        #expect(sorted["debits"][0]["amount"] == 200 && sorted["meta"]["total"] == 2)
        #expect(sorted["meta"]["next"].string == "/debits?sort=amount,asc&amount%5B%3E%5D=100&limit=1&offset=1", "paging keeps the filters")
        #expect(
            try await merchant.get("/cards/\(card)/debits?amount=100,300&sort=amount,desc").json?["debits"].array?.map(\.["amount"]) == [300, 100])
        #expect(try await merchant.get("/debits?colour=red").category(400) == "request")
        let tagged = try #require(try await merchant.get("/debits?amount=100").json?["debits"][0]["id"].string)
        _ = try await merchant.put("/debits/\(tagged)", ["meta": ["tag": "gift"]]).first("debits", 200)
        let gifts = try #require(try await merchant.get("/debits?meta.tag=gift").json, "Balanced's clients filter on meta keys")
        #expect(gifts["debits"].array?.map(\.["id"]) == [.string(tagged)] && gifts["meta"]["total"] == 1)
        #expect(gifts["meta"]["first"].string == "/debits?meta.tag=gift&limit=10&offset=0", "paging keeps the filter")
        #expect(try await merchant.get("/cards/\(card)/debits?amount=x").category(400) == "request")

        let hold = try #require(try await merchant.post("/cards/\(card)/card_holds", ["amount": 500]).first("card_holds", 201)["id"].string)
        let kept = try await merchant.put("/card_holds/\(hold)", ["is_void": false, "description": "kept"]).first("card_holds", 200)
        #expect(kept["voided_at"].isNull && kept["description"] == "kept")
        #expect(try await merchant.put("/card_holds/\(hold)", ["is_void": true]).first("card_holds", 200)["voided_at"].string != nil)
        #expect(payments.fakes.settlements.withLock { $0 }.filter { $0.hasSuffix("/reversals") }.count == 1, "voided at the processor once")
        #expect(
            try await merchant.patch("/card_holds/\(hold)", [["op": "add", "path": "/card_holds/0/is_void", "value": true]])
                .first("card_holds", 200)["voided_at"].string != nil, "a patch asking again changes nothing")
    }

    @Test func holdsCapturesVoidsAndDeclines() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let hold = try await merchant.post("/cards/\(card)/card_holds", ["amount": 5000]).first("card_holds", 201)
        let holdID = try #require(hold["id"].string)
        #expect(try await merchant.put("/card_holds/\(holdID)", ["description": "Room 12"]).first("card_holds", 200)["description"] == "Room 12")
        #expect(try await merchant.post("/card_holds/\(holdID)/debits", ["amount": 5001]).category(400) == "invalid-amount")
        let captured = try await merchant.post("/card_holds/\(holdID)/debits", ["amount": 3000]).first("debits", 201)
        #expect(captured["links"]["card_hold"].string == holdID)
        #expect(captured["description"] == "Room 12", "a capture takes the hold's description")
        #expect(try await merchant.get("/card_holds/\(holdID)/debits").json?["meta"]["total"] == 1)
        #expect(try await merchant.delete("/card_holds/\(holdID)").category(409) == "cannot-void-authorization")

        let second = try #require(try await merchant.post("/cards/\(card)/card_holds", ["amount": 100]).first("card_holds", 201)["id"].string)
        #expect(try await merchant.delete("/card_holds/\(second)").first("card_holds", 200)["voided_at"].string != nil)
        #expect(try await merchant.post("/card_holds/\(second)/debits", [:]).category(409) == "cannot-capture-authorization")
        #expect(try await merchant.get("/card_holds").json?["meta"]["total"] == 1, "a voided hold leaves the list")
        #expect(try await merchant.get("/cards/\(card)/card_holds").json?["meta"]["total"] == 1)
        #expect(try await merchant.get("/resources/\(second)").first("card_holds", 200)["id"].string == second)
        #expect(
            payments.fakes.settlements.withLock { $0 }.map { String($0.split(separator: "/").last ?? "") } == ["captures", "reversals"],
            "one capture and one void at the processor; the refused attempts sent nothing")

        let declining = try #require(
            try await merchant.post(
                "/cards",
                [
                    "number": "4444444444444448", "expiration_month": 1,
                    "expiration_year": 2030,
                ]
            ).first("cards", 201)["id"].string)
        let declined = try await merchant.post("/cards/\(declining)/card_holds", ["amount": 100])
        #expect(try declined.category(402) == "card-declined")
        #expect(declined.json?["card_holds"][0]["status"] == "failed")
        #expect(declined.json?["errors"][0]["request_id"].string?.hasPrefix("OHM") == true)
    }

    @Test func managesCustomersAndDebitsTheirSource() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let customer = try await merchant.post(
            "/customers",
            [
                "name": "Ada", "email": "ada@example.com", "phone": "+15555550100", "ssn_last4": "1234", "ein": "12-3456789",
                "dob_month": 7, "dob_year": 1980, "address": ["postal_code": "94103", "line1": "965 Mission St"], "links": ["source": .string(card)],
            ]
        ).first("customers", 201)
        let id = try #require(customer["id"].string)
        #expect(customer["merchant_status"] == "underwritten")
        #expect(customer["ssn_last4"] == "xxxx")
        #expect(customer["ein"] == "123456789")
        #expect(customer["address"]["postal_code"] == "94103")
        let debit = try await merchant.post("/customers/\(id)/debits", ["amount": 700]).first("debits", 201)
        #expect(debit["links"]["customer"].string == id)
        #expect(try await merchant.get("/customers/\(id)/debits").json?["meta"]["total"] == 1)
        #expect(try await merchant.get("/customers/\(id)/accounts").json?["meta"]["total"] == 0)
        #expect(try await merchant.get("/customers/\(id)/bank_accounts").json?["meta"]["total"] == 0)

        #expect(try await merchant.put("/customers/\(id)", ["name": nil]).first("customers", 200)["merchant_status"] == "no-match")
        let patched = try await merchant.patch("/customers/\(id)", [["op": "replace", "path": "/customers/0/email", "value": "new@example.com"]])
        #expect(try patched.first("customers", 200)["email"] == "new@example.com")
        #expect(try await merchant.patch("/customers/\(id)", [["op": "remove", "path": "/customers/0"]]).category(409) == "patch-conflict")
        #expect(try await merchant.put("/customers/\(id)", ["links": ["source": "CCnope"]]).category(404) == "not-found")
        for bad: JSON in [["ssn_last4": "12"], ["ein": "12"], ["dob_month": 13], ["address": "Main St"], ["address": ["city": 5]]] {
            #expect(try await merchant.put("/customers/\(id)", bad).category(400) == "request", "\(bad)")
        }

        let bare = try #require(try await merchant.post("/customers", [:]).first("customers", 201)["id"].string)
        #expect(try await merchant.post("/customers/\(bare)/debits", ["amount": 700]).category(409) == "no-funding-source")
        #expect(try await merchant.get("/customers").json?["meta"]["total"] == 3, "the owner and two customers")
        #expect(try await merchant.get("/resources/\(bare)").first("customers", 200)["id"].string == bare)
        #expect(try await merchant.delete("/customers/\(bare)").status == .noContent)
        #expect(try await merchant.get("/customers/\(bare)").category(404) == "not-found")
        #expect(try await merchant.post("/customers", ["links": ["source": "CCnope"]]).category(404) == "not-found")
    }

    @Test func replaysAMoneyMovementAndReleasesAKeyWhenAPeerFails() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let key: HTTPFields = [Self.idempotencyKey: "order-1"]
        let first = try await merchant.post("/cards/\(card)/debits", ["amount": 900], headers: key)
        let again = try await merchant.post("/cards/\(card)/debits", ["amount": 900], headers: key)
        #expect(again.head.headerFields[Self.replayed] == "true")
        #expect(again.json == first.json)
        #expect(try await merchant.post("/cards/\(card)/debits", ["amount": 901], headers: key).category(409) == "request")
        #expect(
            try await merchant.post(
                "/cards/\(card)/debits", ["amount": 1],
                headers: [Self.idempotencyKey: String(repeating: "k", count: 256)]
            ).category(400) == "request")

        payments.fakes.verdict.withLock { $0 = nil }
        let retried: HTTPFields = [Self.idempotencyKey: "order-2"]
        #expect(try await merchant.post("/cards/\(card)/debits", ["amount": 900], headers: retried).category(502) == "upstream-failure")
        payments.fakes.verdict.withLock { $0 = ("accept", "pass") }
        let recovered = try await merchant.post("/cards/\(card)/debits", ["amount": 900], headers: retried)
        #expect(recovered.status == .created, "a server failure released the key")
        #expect(recovered.head.headerFields[Self.replayed] == nil)
    }

    @Test func keepsAFingerprintOfAnIdempotentRequestNotTheRequest() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card: JSON = ["number": "4111 1111 1111 1111", "expiration_month": 12, "expiration_year": 2030, "cvv": "987"]
        let key: HTTPFields = [Self.idempotencyKey: "inline-1"]
        #expect(try await merchant.post("/debits", ["amount": 900, "source": card], headers: key).status == .created)
        let stored = try #require(try await payments.service.database.read { try IdempotentRequest.fetchOne($0) })
        #expect(stored.route == "POST /debits")
        #expect(stored.summary == "amount, source.cvv, source.expiration_month, source.expiration_year, source.number")
        // Every column but the HMACs in clear; the HMACs are base64 and may hold any digits by chance.
        let clear = try await payments.service.database.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM idempotent_request")!
            return row.columnNames.filter { $0 != "fields" }.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: " ")
        }
        // The code as a value of its own: three digits inside a timestamp or an id are chance, not the code.
        let tokens = clear.split { !$0.isLetter && !$0.isNumber }
        #expect(!clear.contains("4111") && !tokens.contains("987"), "\(clear)")
        let macs = try #require(try JSON(parsing: .init(string: stored.fields ?? "")).object)
        #expect(macs.keys.sorted() == stored.summary.components(separatedBy: ", "))
        #expect(macs.values.allSatisfy { Data(base64Encoded: $0.string ?? "")?.count == 32 }, "\(macs)")
        // The same code under another key gives another HMAC: a thousand guesses at the code reveal nothing.
        let elsewhere = RequestFingerprint(key: .init(size: .bits256))
        #expect(elsewhere.fields(["cvv": "987"]) != payments.service.fingerprint.fields(["cvv": "987"]))
        #expect(
            payments.service.fingerprint.fields(["amount": "900"]) == payments.service.fingerprint.fields(["amount": 900]),
            "Balanced reads a digit string as the number")
    }

    @Test func aRetryTakesOverAClaimItsCrashedHolderLeftUnanswered() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let tenant = try #require(try await payments.service.database.read { try Card.fetchOne($0, key: card)?.tenantId })
        // What a process killed inside the request leaves: the key claimed, no answer, no debit.
        let fields = String(buffer: JSON.object(payments.service.fingerprint.fields(["amount": 700]).mapValues(JSON.string)).encoded())
        let abandoned = IdempotentRequest(
            tenantId: tenant, key: "order-crashed", route: "POST /cards/\(card)/debits", summary: "amount",
            fields: fields, holder: "IKcrashed", createdAt: Date().addingTimeInterval(-IdempotentRequest.lease - 1))
        try await payments.service.database.write { try abandoned.insert($0) }
        let retry = try await merchant.post("/cards/\(card)/debits", ["amount": 700], headers: [Self.idempotencyKey: "order-crashed"])
        #expect(retry.status == .created && retry.head.headerFields[Self.replayed] == nil, "\(retry.bodyText)")
        let again = try await merchant.post("/cards/\(card)/debits", ["amount": 700], headers: [Self.idempotencyKey: "order-crashed"])
        #expect(again.json == retry.json && again.head.headerFields[Self.replayed] == "true")
        #expect(try await merchant.get("/cards/\(card)/debits").json?["meta"]["total"] == 1)
        // The crashed holder can no longer answer: its writes would roll back.
        let late = try await payments.service.database.write { db in
            try IdempotentRequest.answer(tenantId: tenant, key: "order-crashed", holder: "IKcrashed", with: Reply(body: [:]), in: db)
        }
        #expect(!late)
    }

    /// Duplicates that never wait for the running key would leave this test waiting for them; the limit fails it.
    @Test(.timeLimit(.minutes(1)))
    func duplicatesWaitForTheFirstRequestInsideFraudAndReplayItsAnswer() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let tenant = try #require(try await payments.service.database.read { try Card.fetchOne($0, key: card)?.tenantId })
        let key: HTTPFields = [Self.idempotencyKey: "order-paused"]
        payments.fakes.fraudGate.close()
        let first = Task { try await merchant.post("/cards/\(card)/debits", ["amount": 700], headers: key) }
        await payments.fakes.fraudGate.waitUntilHeld()
        // The first request is inside fraud; its duplicates find the key running and wait for it.
        let duplicates = (0..<5).map { _ in Task { try await merchant.post("/cards/\(card)/debits", ["amount": 700], headers: key) } }
        // Released only once all five wait on the running key, so each must take the waiting path.
        while payments.service.running.waiting(on: "\(tenant)\norder-paused") < 5 { await Task.yield() }
        payments.fakes.fraudGate.release()
        let answer = try await first.value
        #expect(answer.status == .created)
        for duplicate in duplicates {
            let replay = try await duplicate.value
            #expect(replay.json == answer.json && replay.head.headerFields[Self.replayed] == "true")
        }
        #expect(payments.fakes.fraudGate.heldCount == 1, "fraud checked the debit once: no duplicate reached it")
        #expect(try await merchant.get("/cards/\(card)/debits").json?["meta"]["total"] == 1)
    }

    /// A duplicate that neither polls, nor answers, nor reaches fraud would wait here for good; the limit fails it.
    @Test(.timeLimit(.minutes(1)))
    func aDuplicateOnAnotherInstanceSharingTheDatabaseMovesMoneyOnce() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("payments-\(IDs.random(8)).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let one = try PaymentsAlone(database: .file(path))
        let other = try PaymentsAlone(database: .file(path), fakes: one.fakes)
        let merchant = try await one.merchant()
        let sameMerchantElsewhere = {
            var client = other.anonymous
            client.headers = merchant.headers
            return client
        }()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let key: HTTPFields = [Self.idempotencyKey: "order-two-instances"]
        one.fakes.fraudGate.close()
        one.fakes.pollGate.close()
        let first = Task { try await merchant.post("/cards/\(card)/debits", ["amount": 700], headers: key) }
        await one.fakes.fraudGate.waitUntilHeld()
        // The first request is inside fraud on one instance; the other finds the key claimed in the
        // shared database, not running in its own process, and polls until the answer is stored.
        let next = one.fakes.arrivals.count
        let duplicate = one.fakes.arrivals.ending { try await sameMerchantElsewhere.post("/cards/\(card)/debits", ["amount": 700], headers: key) }
        let reached = await one.fakes.arrivals.arrival(next)
        #expect(reached == .polling, "the duplicate reached \(reached) before polling for the first request's answer")
        one.fakes.fraudGate.release()
        let answer = try await first.value
        // Only now, with the answer stored, does the duplicate look again.
        one.fakes.pollGate.release()
        let replay = try await duplicate.value
        #expect(one.fakes.pollGate.heldCount == 1, "the duplicate polled once, and found the answer the first time it looked again")
        #expect(answer.status == .created)
        #expect(replay.json == answer.json && replay.head.headerFields[Self.replayed] == "true", "\(replay.bodyText)")
        #expect(one.fakes.fraudGate.heldCount == 1, "fraud checked the debit once")
        #expect(try await sameMerchantElsewhere.get("/cards/\(card)/debits").json?["meta"]["total"] == 1)
    }

    /// Balanced's clients save a resource by sending back every field they hold, so `PUT` changes what
    /// may change and ignores the rest, read-only fields included, as payments' document says; a patch
    /// the debit cannot take is a conflict, a malformed one a 400.
    @Test func ignoresReadOnlyFieldsOnPutAndConflictsOverAPatchTheResourceCannotTake() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let card = try #require(try await merchant.post("/cards", Self.visa).first("cards", 201)["id"].string)
        let id = try #require(try await merchant.post("/cards/\(card)/debits", ["amount": 1000]).first("debits", 201)["id"].string)
        let saved = try await merchant.put(
            "/debits/\(id)", ["debits": [["amount": 1, "status": "failed", "currency": "EUR", "description": "shipped"]]]
        )
        .first("debits", 200)
        #expect(saved["amount"] == 1000 && saved["status"] == "succeeded" && saved["currency"] == "USD" && saved["description"] == "shipped")
        let patched = try await merchant.patch("/debits/\(id)", [["op": "replace", "path": "/debits/0/amount", "value": 5]]).first("debits", 200)
        #expect(patched["amount"] == 1000)
        #expect(try await merchant.patch("/debits/\(id)", [["op": "remove", "path": "/debits/0/nothing"]]).category(409) == "patch-conflict")
        #expect(
            try await merchant.patch("/debits/\(id)", [["op": "replace", "path": "/debits/0/meta", "value": ["k": ["nested"]]]])
                .category(409) == "patch-conflict")
        #expect(try await merchant.patch("/debits/\(id)", [["op": "add", "path": "/debits/0/x"]]).category(400) == "request")
    }

    @Test func refusesABodyThatIsNotOneResource() async throws {
        let payments = try PaymentsAlone()
        let merchant = try await payments.merchant()
        let broken = try await merchant.send(.post, "/cards", raw: #"{"number": "4111"#, headers: [.contentType: "application/json"])
        #expect(try broken.category(400) == "request")
        #expect(broken.json?["errors"][0]["description"].string?.hasPrefix("The request body is not valid JSON") == true)
        let blank = try await merchant.send(.post, "/customers", raw: " \n", headers: [.contentType: "application/json"])
        #expect(try blank.category(400) == "request", "blanks are not JSON, though an empty body is no fields")
        #expect(try await merchant.send(.post, "/customers", raw: "null", headers: [.contentType: "application/json"]).status == .created)
        let two = try await merchant.post("/cards", ["cards": [Self.visa, Self.visa]])
        #expect(try two.category(400) == "request")
        #expect(two.json?["errors"][0]["description"].string?.hasPrefix("`cards` must hold exactly one object.") == true)
    }
}
