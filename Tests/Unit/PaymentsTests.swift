import Foundation
import GRDB
import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import Payments

@Suite struct PaymentsTests {
    static let vaultCard: JSON = [
        "id": "CCvault0000000000000001", "last_four": "1111", "brand": "Visa", "fingerprint": "f00d", "bin": "411111",
        "expiration_month": 12, "expiration_year": 2016, "cvv_match": "yes", "name": nil, "avs_street_match": nil,
        "avs_postal_match": nil, "bank_name": "",
        "address": ["line1": nil, "line2": nil, "city": nil, "state": nil, "postal_code": nil, "country_code": nil],
        "created_at": "2016-01-01T00:00:00.000000Z",
    ]
    static let card = "CCvault0000000000000001"

    static func fraudCheck(decision: String, csc: String, score: Int = 10) -> JSON {
        [
            "id": "FC1", "score": .number(Double(score)), "decision": .string(decision), "csc_check": .string(csc), "reasons": [],
            "card_id": .string(card), "amount": 500, "currency": "USD", "created_at": "2016-01-01T00:00:00.000000Z",
        ]
    }

    static func authorization(_ status: String, code: String = "00", message: String = "Approved") -> JSON {
        [
            "id": "0123456789ABCDEF0123456789ABCDEF01234567", "order_id": "W1", "status": .string(status), "amount": 500,
            "currency": "USD", "response_code": .string(code), "message": .string(message),
        ]
    }

    /// Payments alone, with vault and fraud answered by stubs, and a merchant's client.
    func payments(
        fraud: JSON, vault: JSON = vaultCard, authorization: JSON = authorization("approved"),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (StackClient, PaymentsService) {
        let (payments, service, _) = try await payments(
            fraud: fraud, vault: vault, authorization: authorization, drifting: [],
            sourceLocation: sourceLocation)
        return (payments, service)
    }

    /// Payments alone, with stubs of vault and fraud that may answer off their documents on purpose (`drifting`).
    func payments(
        fraud: JSON, vault: JSON = vaultCard, authorization: JSON = authorization("approved"), drifting: Set<ServiceName>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (StackClient, PaymentsService, Isolated) {
        let transport = try Isolated(
            stubs: [
                .vault: { request in
                    request.head.path == "/authorizations" ? ServiceResponse(.created, json: authorization) : ServiceResponse(.ok, json: vault)
                },
                .fraud: Isolated.answer(.created, fraud),
            ], drifting: drifting, sourceLocation: sourceLocation)
        let service = try PaymentsService(environment: transport.environment)
        transport.local.register(service)
        return (try await transport.merchant(), service, transport)
    }

    @Test(
        arguments: [
            ("accept", "pass", "succeeded", nil), ("accept", "fail", "failed", "csc-check-failed"),
            ("review", "pass", "pending", nil), ("review", "fail", "failed", "csc-check-failed"),
            ("reject", "pass", "failed", "high-risk"), ("accept", "unavailable", "succeeded", nil),
        ] as [(String, String, String, String?)])
    func decidesOnFraudsVerdict(decision: String, csc: String, status: String, code: String?) async throws {
        let (payments, service) = try await payments(fraud: Self.fraudCheck(decision: decision, csc: csc))
        let response = try await payments.post("/cards/\(Self.card)/debits", ["amount": 500])
        let debit = try #require(response.json)["debits"][0]
        #expect(debit["status"].string == status)
        #expect(debit["failure_reason_code"].string == code)
        let (entries, imbalance) = try await service.database.read { db in
            (try LedgerEntry.fetchAll(db), try Ledger.imbalance(in: db))
        }
        #expect(imbalance == 0)
        #expect(entries.count == (status == "succeeded" ? 2 : 0), "money moves only for a succeeded debit")
    }

    @Test func postsASucceededDebitFromTheCardToEscrow() async throws {
        let (payments, service) = try await payments(fraud: Self.fraudCheck(decision: "accept", csc: "pass"))
        for amount in [500, 700] {
            _ = try await payments.post("/cards/\(Self.card)/debits", ["amount": .number(Double(amount))])
        }
        let (escrow, card, imbalance) = try await service.database.read { db in
            (
                try Ledger.balance(of: Ledger.escrow, in: db), try Ledger.balance(of: Ledger.account(card: Self.card), in: db),
                try Ledger.imbalance(in: db)
            )
        }
        #expect(escrow == 1200)
        #expect(card == -1200)
        #expect(imbalance == 0)
    }

    @Test func refusesToGuessWhenFraudsAnswerDrifts() async throws {
        let drifted = Self.fraudCheck(decision: "accept", csc: "pass").renamingKey("csc_check", to: "security_code_check")
        let (payments, service, transport) = try await payments(fraud: drifted, drifting: [.fraud])
        let response = try await payments.post("/cards/\(Self.card)/debits", ["amount": 500])
        #expect(response.status == .badGateway)
        #expect(response.json?["errors"][0]["extras"]["drift"]["likely_rename"] == "security_code_check")
        #expect(try await service.database.read { try Debit.fetchCount($0) } == 0)
        #expect(
            transport.drift == [
                "the fraud stub answered off fraud's document: POST /checks answered 201: $.csc_check: is required but missing; "
                    + "$.security_code_check: is not in the document"
            ], "the drift is on purpose, and still seen")
    }

    /// A fake is written by hand, so the unit backend checks it against the provider's document: one
    /// that leaves out a field the provider always sends, or sends it as another type, fails the test
    /// that used it, naming the stub, the route and what differs.
    @Test(arguments: [
        (PaymentsTests.fraudCheck(decision: "accept", csc: "pass").removingKey("csc_check"), "$.csc_check: is required but missing"),
        (PaymentsTests.fraudCheck(decision: "accept", csc: "pass").settingKey("score", to: "10"), #"$.score: "10" is not integer"#),
    ])
    func aFakeFraudThatDriftsFromItsDocumentFailsTheTestThatUsedIt(fraud: JSON, difference: String) async throws {
        let expected = "the fraud stub answered off fraud's document: POST /checks answered 201: \(difference)"
        try await withKnownIssue {
            let (payments, _) = try await payments(fraud: fraud)
            _ = try await payments.post("/cards/\(Self.card)/debits", ["amount": 500])
        } matching: { issue in
            issue.comments.map(\.rawValue) == [expected]
        }
    }

    @Test func passesOnVaultsComplaintAboutTheCard() async throws {
        let complaint = Isolated.failure(.invalidField("cvv", "must be 3 or 4 digits", categoryCode: "invalid-field"), from: .vault)
        let transport = try Isolated(stubs: [.vault: { _ in complaint }])
        transport.local.register(try PaymentsService(environment: transport.environment))
        let response = try await transport.merchant().post("/cards", ["number": "4111111111111111"])
        #expect(response.status == .badRequest)
        #expect(response.json == complaint.json)
    }

    @Test func reportsAFailingPeerAsABadGateway() async throws {
        let oops = Isolated.failure(ServiceError(.internalServerError, "internal-error", "vault failed", categoryType: "logical"), from: .vault)
        let transport = try Isolated(stubs: [.vault: { _ in oops }])
        transport.local.register(try PaymentsService(environment: transport.environment))
        let response = try await transport.merchant().post("/cards/\(Self.card)/debits", ["amount": 500])
        #expect(response.status == .badGateway)
        #expect(response.json?["errors"][0]["category_code"] == "upstream-failure")
    }

    @Test func pagesDebitsNewestFirst() async throws {
        let (payments, _) = try await payments(fraud: Self.fraudCheck(decision: "accept", csc: "pass"))
        var ids: [String] = []
        for amount in 1...5 {
            let debit = try #require(try await payments.post("/cards/\(Self.card)/debits", ["amount": .number(Double(amount))]).json)
            ids.append(debit["debits"][0]["id"].string ?? "")
        }
        let page = try #require(try await payments.get("/debits?limit=2&offset=2").json)
        #expect(page["debits"].array?.map { $0["id"].string ?? "" } == [ids[2], ids[1]])
        #expect(
            page["meta"] == [
                "limit": 2, "offset": 2, "total": 5, "href": "/debits?limit=2&offset=2", "first": "/debits?limit=2&offset=0",
                "last": "/debits?limit=2&offset=4", "next": "/debits?limit=2&offset=4", "previous": "/debits?limit=2&offset=0",
            ])
    }

    @Test(
        arguments: [
            (["amount": 1] as JSON, nil), (["amount": "25"] as JSON, nil), (["amount": 2_147_483_647] as JSON, nil),
            (["amount": 2_147_483_648] as JSON, "amount"), (["amount": 1.5] as JSON, "amount"), (["amount": -1] as JSON, "amount"),
            (["amount": 0] as JSON, "amount"), ([:] as JSON, "amount"),
            (["amount": 5, "currency": "usd"] as JSON, nil), (["amount": 5, "currency": "GBP"] as JSON, "currency"),
            (["amount": 5, "meta": ["k": [1]]] as JSON, "meta.k"), (["amount": 5, "meta": "x"] as JSON, "meta"),
            (["amount": 5, "description": [7]] as JSON, "description"),
            (["amount": 5, "appears_on_statement_as": "BAL*example.com"] as JSON, nil),
            (["amount": 5, "appears_on_statement_as": "bad_chars!"] as JSON, "appears_on_statement_as"),
        ] as [(JSON, String?)])
    func validatesChargeInput(body: JSON, invalidField: String?) {
        do {
            let input = try ChargeInput(body.object ?? [:])
            #expect(invalidField == nil, "accepted \(input)")
        } catch {
            #expect(error.detail.hasPrefix("\(invalidField ?? "-"):"), "\(error)")
        }
    }

    @Test func declinesACardItsIssuerDeclinesAndRecordsTheFailedDebit() async throws {
        let (payments, service) = try await payments(
            fraud: Self.fraudCheck(decision: "accept", csc: "pass"),
            authorization: Self.authorization("declined", code: "51", message: "Insufficient Funds"))
        let response = try await payments.post("/cards/\(Self.card)/debits", ["amount": 500])
        #expect(response.status.code == 402)
        #expect(response.json?["errors"][0]["category_code"] == "card-declined")
        #expect(response.json?["debits"][0]["status"] == "failed")
        #expect(response.json?["debits"][0]["failure_reason"] == "The card was declined by its issuer (51 Insufficient Funds).")
        #expect(try await service.database.read { try Debit.fetchAll($0) }.map(\.fraudCheckId) == ["FC1"], "fraud was asked first")
    }
}

extension JSON {
    /// This object without `key`.
    func removingKey(_ key: String) -> JSON {
        var object = self.object ?? [:]
        object[key] = nil
        return .object(object)
    }

    /// This object with `key` set to `value`.
    func settingKey(_ key: String, to value: JSON) -> JSON {
        var object = self.object ?? [:]
        object[key] = value
        return .object(object)
    }
}

@Suite struct PaymentsRequestTests {
    @Test func readsFormsWithBracketKeys() {
        let form = FormBody.parse("number=4111+1111&expiration_month=12&address%5Bpostal_code%5D=94103&meta[a][b]=c%26d&empty=")
        #expect(
            form == [
                "number": "4111 1111", "expiration_month": "12", "address": ["postal_code": "94103"],
                "meta": ["a": ["b": "c&d"]], "empty": "",
            ])
    }

    @Test func patchesAnEnvelope() throws {
        let envelope: JSON = ["cards": [["meta": ["a": "1"], "name": "x"]]]
        let patched = try JSONPatch.apply(
            [
                ["op": "add", "path": "/cards/0/meta/b", "value": "2"],
                ["op": "replace", "path": "/cards/0/meta/a", "value": "3"],
                ["op": "move", "from": "/cards/0/meta/b", "path": "/cards/0/meta/c"],
                ["op": "copy", "from": "/cards/0/name", "path": "/cards/0/meta/n"],
                ["op": "remove", "path": "/cards/0/name"],
                ["op": "test", "path": "/cards/0/meta/a", "value": "3"],
                ["op": "add", "path": "/cards/-", "value": ["x": 1]],
                ["op": "add", "path": "/cards/0/meta/sl~1ash~0", "value": "y"],
            ], to: envelope)
        #expect(patched == ["cards": [["meta": ["a": "3", "c": "2", "n": "x", "sl/ash~": "y"]], ["x": 1]]])
    }

    @Test func refusesAMalformedPatchAndConflictsOverOneTheResourceCannotTake() {
        let envelope: JSON = ["cards": [["meta": ["a": "1"]]]]
        #expect { try JSONPatch.apply([["op": "test", "path": "/cards/0/meta/a", "value": "2"]], to: envelope) } throws: {
            ($0 as? ServiceError)?.categoryCode == "patch-test-failed" && ($0 as? ServiceError)?.status == .conflict
        }
        for patch: JSON in [
            [["op": "remove", "path": "/cards/0/meta/zzz"]], [["op": "replace", "path": "/nope/0", "value": 1]],
            [["op": "remove", "path": ""]],
        ] {
            #expect { try JSONPatch.apply(patch, to: envelope) } throws: { ($0 as? ServiceError)?.categoryCode == "patch-conflict" }
        }
        for patch: JSON in [
            [["op": "jump", "path": "/cards"]], ["op": "add"], [["op": "add", "path": "cards", "value": 1]],
            [["op": "add", "path": "/cards/0/x"]], [["op": "move", "path": "/cards/0/x"]],
        ] {
            #expect { try JSONPatch.apply(patch, to: envelope) } throws: { ($0 as? ServiceError)?.status == .badRequest }
        }
    }
}

@Suite struct LedgerTests {
    @Test func keepsBalancesInStepWithTheEntries() async throws {
        let database = try DatabaseLocation.inMemory.open("payments", migrator: PaymentsMigrations.migrator)
        let now = Date()
        try await database.write { db in
            try Ledger.post(transaction: "WD1", tenant: "MP1", from: "card:CC1", to: Ledger.escrow, amount: 700, at: now, in: db)
            try Ledger.post(transaction: "RF1", tenant: "MP1", from: Ledger.escrow, to: "card:CC1", amount: 200, at: now, in: db)
            try Ledger.post(transaction: "WD2", tenant: "MP2", from: "card:CC2", to: Ledger.escrow, amount: 50, at: now, in: db)
        }
        let (escrow1, escrow2, card1, imbalance, summed) = try await database.read { db in
            (
                try Ledger.balance(of: Ledger.escrow, tenant: "MP1", in: db), try Ledger.balance(of: Ledger.escrow, tenant: "MP2", in: db),
                try Ledger.balance(of: "card:CC1", tenant: "MP1", in: db), try Ledger.imbalance(in: db),
                try Int.fetchOne(db, sql: "SELECT SUM(amount) FROM ledger_entry WHERE tenant_id = 'MP1' AND account = ?", arguments: [Ledger.escrow])
            )
        }
        #expect(escrow1 == 500)
        #expect(escrow2 == 50)
        #expect(card1 == -500)
        #expect(imbalance == 0)
        #expect(summed == escrow1, "the kept balance is the sum of the entries")
    }
}

@Suite struct DebitRowTests {
    @Test func readsBackEveryColumnItWrote() async throws {
        let database = try DatabaseLocation.inMemory.open("payments", migrator: PaymentsMigrations.migrator)
        let at = Date(microsecondsSince1970: 1_418_762_681_747_617)
        let full = Debit(
            id: "WD1", tenantId: "MP1", cardId: "CC1", customerId: "CU1", cardHoldId: "HL1", amount: 700, currency: "USD",
            description: "a hat", appearsOnStatementAs: "BAL*HATS", status: .failed, failureReasonCode: "card-declined",
            failureReason: "declined", transactionNumber: "W123-456-7890", meta: #"{"a":"b"}"#, fraudCheckId: "FC1",
            createdAt: at, updatedAt: at.addingTimeInterval(1))
        var bare = full
        (bare.id, bare.customerId, bare.cardHoldId, bare.description, bare.failureReasonCode, bare.failureReason, bare.fraudCheckId, bare.status) = (
            "WD2", nil, nil, nil, nil, nil, nil, .succeeded
        )
        try await database.write { [bare] db in for debit in [full, bare] { try debit.insert(db) } }
        let read = try await database.read { try Debit.order(Column("id")).fetchAll($0) }
        #expect(read == [full, bare])
    }

    @Test func refusesAnUnknownStatus() async throws {
        let database = try DatabaseLocation.inMemory.open("payments", migrator: PaymentsMigrations.migrator)
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO debit (id, tenant_id, card_id, amount, currency, appears_on_statement_as, status, transaction_number,
                                           meta, created_at, updated_at)
                        VALUES ('WD3', 'MP1', 'CC1', 1, 'USD', 'X', 'refunded', 'T', '{}', 0, 0)
                        """)
                _ = try Debit.fetchAll(db)
            }
        }
    }
}

@Suite struct IdentifierTests {
    @Test func makesDistinctAlphanumericIdentifiersOfTheAskedLength() {
        let ids = (0..<100_000).map { _ in IDs.make("WD") }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 26 && $0.hasPrefix("WD") && $0.dropFirst(2).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        // Evenly spread: every one of the 62 characters turns up in every position.
        for position in [2, 13, 25] {
            #expect(Set(ids.map { $0[$0.index($0.startIndex, offsetBy: position)] }).count == 62)
        }
        #expect(IDs.random(7).count == 7 && IDs.random(0).isEmpty)
    }

    @Test func trimsOnlyBlanksAroundAHeaderPart() {
        #expect("  abc= \t".dropFirst(0).trimmingBlanks == "abc=")
        #expect("a b".dropFirst(0).trimmingBlanks == "a b")
        #expect(" \t ".dropFirst(0).trimmingBlanks == "")
    }

    @Test(
        arguments: [
            ("yes", "yes", "Street address and postal code match."),
            ("no", "yes", "Postal code matches, but street address does not match."),
            (nil, "yes", "Postal code matches, but street address not verified."),
            ("yes", "no", "Street address matches, but postal code does not match."),
            ("no", "no", "Street address and postal code do not match."),
            (nil, "no", "Street address and postal code do not match."),
            (nil, "unsupported", "Address not verified."),
            ("unsupported", "unsupported", "Address not verified."),
            (nil, nil, nil),
        ] as [(String?, String?, String?)])
    func saysTheAddressCheckAsVaultsStreetAndPostalMatchesHaveIt(street: String?, postal: String?, text: String?) {
        #expect(Card.avsResult(street: street, postal: postal) == text)
    }
}
