@preconcurrency import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Testing

@testable import Dashboard
@testable import Fraud
@testable import HarnessContracts
@testable import Payments
@testable import ServiceKit
@testable import Vault

@Suite struct ServiceKitTests {
    struct View: Decodable {
        var id: String
        var decision: String
        var csc: Check
        var items: [Item]
        enum Check: String, Decodable { case pass, fail }
        struct Item: Decodable { var amount: Int }
        enum CodingKeys: String, CodingKey {
            case id, decision
            case csc = "csc_check"
            case items
        }
    }

    func violation(_ json: JSON) throws -> ContractViolation? {
        do {
            _ = try ContractViolation.decode(View.self, from: json.encoded(), consumer: .payments, provider: .fraud, route: "POST /checks")
            return nil
        } catch {
            return error
        }
    }

    @Test func findsTheRenamedFieldAmongUnreadSiblings() throws {
        let found = try #require(
            try violation([
                "id": "1", "decision": "accept", "items": [],
                "security_code_check": "pass", "note": "pass",
            ]))
        #expect(found.drift.field == "csc_check" && found.drift.kind == .requiredFieldMissing)
        #expect(found.drift.likelyRename == "security_code_check", "the closer name of the two that would decode")
        #expect(found.description.contains("likely rename of `csc_check` to `security_code_check`"))
    }

    @Test func doesNotOfferAFieldTheConsumerAlreadyReadsOrOneThatWouldNotDecode() throws {
        let found = try #require(try violation(["id": "pass", "decision": "pass", "items": [], "other": 3]))
        #expect(found.drift.likelyRename == nil && found.drift.kind == .requiredFieldMissing)
        #expect(found.drift.detail == "the object has `decision`, `id`, `items`, `other`")
    }

    @Test func namesNestedFieldsAndWrongTypes() throws {
        let nested = try #require(try violation(["id": "1", "decision": "a", "csc_check": "pass", "items": [["cents": 5]]]))
        #expect(nested.drift.field == "items[0].amount" && nested.drift.likelyRename == "cents")
        let typed = try #require(try violation(["id": "1", "decision": "a", "csc_check": "pass", "items": [["amount": "5"]]]))
        #expect(typed.drift.field == "items[0].amount" && typed.drift.kind == .typeChanged)
        #expect(typed.drift.detail == "it should be an integer but is string \"5\"")
        let unknown = try #require(try violation(["id": "1", "decision": "a", "csc_check": "maybe", "items": []]))
        #expect(unknown.drift.field == "csc_check" && unknown.drift.kind == .enumValueUnknown)
    }

    @Test func saysWhenABodyIsNotJSONAtAll() throws {
        do {
            _ = try ContractViolation.decode(
                View.self, from: ByteBuffer(string: "<html>"), consumer: .dashboard,
                provider: .payments, route: "GET /debits")
            Issue.record("decoded HTML")
        } catch {
            #expect(error.drift.kind == .bodyUnreadable && error.drift.detail == "the body is not JSON (6 bytes)")
        }
    }

    @Test func writesTimesAsBalancedDoes() {
        #expect(Date(microsecondsSince1970: 1_418_762_681_747_617).iso8601 == "2014-12-16T20:44:41.747617Z")
        #expect(Date(microsecondsSince1970: 0).iso8601 == "1970-01-01T00:00:00.000000Z")
    }

    @Test func roundTripsJSON() throws {
        let value: JSON = ["a": [1, 2.5, "x", nil, true], "b": ["c": [:]]]
        #expect(try JSON(parsing: value.encoded()) == value)
        #expect(value["a"][1].number == 2.5)
        #expect(value["missing"]["deeper"].isNull)
    }

    @Test func parsesNestedObjectsWithTheLastOfARepeatedKey() throws {
        let parsed = try JSON(parsing: ByteBuffer(string: #"{"a": 1, "b": {"c": [{"d": 1, "d": 2}, {}], "e": null}, "a": 3}"#))
        #expect(parsed == ["a": 3, "b": ["c": [["d": 2], [:]], "e": nil]])
    }

    @Test func writesCanonicalBytes() {
        let value: JSON = ["z": [0, -7, 1_000_000, 9_007_199_254_740_992, 2.5, -0.25], "a": "tab\t \"q\" \\ é \u{1}", "m": [:]]
        #expect(
            String(buffer: value.encoded())
                == #"{"a":"tab\t \"q\" \\ é \u0001","m":{},"z":[0,-7,1000000,9007199254740992,2.5,-0.25]}"#)
    }

    @Test(
        arguments: [
            ("payments", PaymentsMigrations.migrator, ["debit", "ledger_entry", "collection_total"]),
            ("fraud", FraudMigrations.migrator, ["fraud_check"]),
            ("vault", VaultMigrations.migrator, ["card"]),
            ("dashboard", DashboardMigrations.migrator, ["summary_snapshot"]),
        ] as [(String, DatabaseMigrator, [String])])
    func migratesAFreshDatabaseAndAgainIdempotently(service: String, migrator: DatabaseMigrator, tables: [String]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-unit-\(IDs.random(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("\(service).sqlite").path
        let first = try DatabaseLocation.file(path).open(service, migrator: migrator).writer
        let (existing, applied, journal) = try first.read { db in
            (
                try tables.filter { try db.tableExists($0) }, try migrator.appliedMigrations(db),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(existing == tables)
        #expect(applied == migrator.migrations)
        #expect(journal == "wal")
        try (first as? DatabasePool)?.close()
        let reopened = try DatabaseLocation.file(path).open(service, migrator: migrator).writer
        #expect(try reopened.read { try migrator.hasCompletedMigrations($0) })
    }
}

@Suite struct JSONParsingTests {
    func parse(_ text: String) throws -> JSON { try JSON(parsing: ByteBuffer(string: text)) }

    @Test func readsWhatTheEncoderWrites() throws {
        let value: JSON = ["quote\"back\\slash": "line\nbreak\ttab\u{01}", "é": "😀", "n": [-1.5, 0, 1e-7, 12_345_678_901]]
        #expect(try JSON(parsing: value.encoded()) == value)
        #expect(String(buffer: (["b": 1, "a": [true, nil]] as JSON).encoded()) == #"{"a":[true,null],"b":1}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#"" \u00e9\ud83d\ude00\/\b\f""#) == .string(" é😀/\u{08}\u{0C}"))
        #expect(try parse(" [ 1 , {\"a\" : false} ] ") == [1, ["a": false]])
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\\ud800\"", "\"\\x\"", "\"a\u{01}\"",
        "{} x", "nul", String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func rejectsWhatIsNotJSON(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [Int64(0), 951_782_400_123_456, 4_107_542_399_999_999, -1, 1_709_164_800_000_001, 253_402_300_800_000_000])
    func agreesWithFoundationsCalendar(micros: Int64) {
        let date = Date(microsecondsSince1970: micros)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000
        let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(fraction))
        #expect(date.iso8601 == expected)
    }
}

@Suite struct JSONPathTests {
    @Test func namesFieldsOneWayFromPointersAndCodingPaths() throws {
        let path = try #require(JSONPath(pointer: "/cards/0/meta/sl~1ash~0"))
        #expect(path.pointer == "/cards/0/meta/sl~1ash~0")
        #expect(JSONPath([.key("cards"), .index(0), .key("brand")]).description == "cards[0].brand")
        #expect(JSONPath(pointer: "cards") == nil)
        #expect(JSONPath(pointer: "")?.components.isEmpty == true)
        // A separator followed by a combining mark (a skin-tone modifier) is still a separator.
        #expect(JSONPath(pointer: "/\u{1F3FB}a/b")?.components == [.key("\u{1F3FB}a"), .key("b")])
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int?
            init(stringValue: String) { self.stringValue = stringValue }
            init(intValue: Int) {
                self.stringValue = "Index \(intValue)"
                self.intValue = intValue
            }
        }
        #expect(JSONPath(codingPath: [Key(stringValue: "items"), Key(intValue: 2), Key(stringValue: "amount")]).description == "items[2].amount")
    }

    @Test func readsContractFieldPathsBackAsItWritesThem() {
        #expect(JSONPath("debits[].amount").components == [.key("debits"), .element, .key("amount")])
        #expect(JSONPath("cards[0].brand").components == [.key("cards"), .index(0), .key("brand")])
        #expect(JSONPath("[][]").components == [.element, .element])
        for text in ["debits[].amount", "cards[0].brand", "links.customer", "tags[]", "[]", ""] {
            #expect(JSONPath(text).description == text)
        }
        let answer: JSON = ["debits": [["amount": 5], ["amount": 7]]]
        #expect(answer[JSONPath("debits[].amount")] == 5, "an element reads as the first one")
        #expect(answer[JSONPath("debits[1].amount")] == 7)
        #expect(answer[JSONPath("credits[].amount")] == Optional<JSON>.none)
    }

    @Test func readsAndChangesTheValueAtAPath() throws {
        var document: JSON = ["cards": [["meta": ["a": "1"]]]]
        #expect(document[JSONPath(pointer: "/cards/0/meta/a")!] == "1")
        #expect(document[JSONPath(pointer: "/cards/1")!] == Optional<JSON>.none)
        try document.update(at: JSONPath(pointer: "/cards/0/meta/a")!) { $0 = nil }
        #expect(document == ["cards": [["meta": [:]]]])
        #expect(throws: JSONPathNotFound.self) { try document.update(at: JSONPath(pointer: "/nope/deeper")!) { $0 = 1 } }
        try document.update(at: JSONPath([.key("new"), .key("deeper")]), creating: true) { $0 = 1 }
        #expect(document["new"]["deeper"] == 1)
    }
}

/// In memory, `ServiceDatabase` runs accesses inline with its own `BEGIN`/`COMMIT`: it must keep GRDB's
/// transaction semantics, for both kinds of database.
@Suite struct ServiceDatabaseTests {
    struct Refused: Error {}

    static func database(_ location: DatabaseLocation) throws -> ServiceDatabase {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: "CREATE TABLE item (name TEXT NOT NULL UNIQUE)") }
        return try location.open("service-database-tests", migrator: migrator)
    }

    // Computed: each test gets its own file.
    static var locations: [DatabaseLocation] {
        [
            .inMemory, .file(FileManager.default.temporaryDirectory.appendingPathComponent("sdt-\(UUID()).sqlite").path),
        ]
    }

    @Test(arguments: locations)
    func rollsBackAWriteThatThrowsAndKeepsOneThatReturns(_ location: DatabaseLocation) async throws {
        let database = try Self.database(location)
        try await database.write { try $0.execute(sql: "INSERT INTO item VALUES ('kept')") }
        await #expect(throws: Refused.self) {
            try await database.write { db in
                try db.execute(sql: "INSERT INTO item VALUES ('lost')")
                throw Refused()
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in
                try db.execute(sql: "INSERT INTO item VALUES ('lost too')")
                try db.execute(sql: "INSERT INTO item VALUES ('kept')")
            }
        }
        let names = try await database.read { try String.fetchAll($0, sql: "SELECT name FROM item ORDER BY name") }
        #expect(names == ["kept"])
        #expect(try await database.read { $0.isInsideTransaction } == (location.isInMemory ? false : true))
    }

    @Test(arguments: locations)
    func keepsSavepointsInsideAWrite(_ location: DatabaseLocation) async throws {
        let database = try Self.database(location)
        try await database.write { db in
            try db.execute(sql: "INSERT INTO item VALUES ('outer')")
            try? db.inSavepoint {
                try db.execute(sql: "INSERT INTO item VALUES ('inner')")
                throw Refused()
            }
        }
        #expect(try await database.read { try String.fetchAll($0, sql: "SELECT name FROM item") } == ["outer"])
    }
}

extension DatabaseLocation {
    var isInMemory: Bool { if case .inMemory = self { true } else { false } }
}

@Suite struct ServiceIdentityTests {
    static let head = HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/cards/CC1?x=1", headerFields: [.tenant: "MP1"])

    @Test func acceptsItsOwnCredentialAndThePreviousKeysDuringARotation() throws {
        let old = SymmetricKey(size: .bits256)
        let new = SymmetricKey(size: .bits256)
        let before = ServiceIdentity(key: old)
        let during = ServiceIdentity(key: new, previous: old)
        let after = ServiceIdentity(key: new)
        var signed = Self.head
        before.sign(&signed, from: "payments", to: "vault")
        let credential = try during.verify(signed, at: "vault")
        #expect(credential.caller == "payments" && credential.callee == "vault" && credential.tenant == "MP1")
        #expect(throws: CredentialRefusal.self) { try after.verify(signed, at: "vault") }
        during.sign(&signed, from: "payments", to: "vault")
        #expect(try after.verify(signed, at: "vault").caller == "payments")
        #expect(throws: CredentialRefusal.self, "a service without the new key refuses it") { try before.verify(signed, at: "vault") }
    }

    @Test func writesAndReadsUnpaddedBase64URL() {
        for count in 0...40 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255) }
            let foundation = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == foundation)
            #expect(Base64URL.decode(Substring(foundation)) == bytes)
        }
        #expect(Base64URL.decode("a") == nil && Base64URL.decode("ab+c") == nil)
    }

    @Test(arguments: [
        "", "v2;caller=a;callee=b;tenant=;expires=1;signature=AA", "v1;caller=a;callee=b;tenant=;expires=x;signature=AA",
        "v1;caller=a;caller=a;callee=b;tenant=;expires=1", "v1;caller=;callee=b;tenant=;expires=1;signature=AA",
        "v1;caller=a;callee=b;tenant=;expires=1;signature=AA;extra=1", "v1;caller=a;callee=b;tenant=;expires=1",
    ])
    func readsNoMalformedCredential(_ text: String) {
        #expect(ServiceCredential(text) == nil)
    }
}
