import Foundation
import Harness
import NIOCore
import PaymentsSystem
import ServiceKit
import Testing

@testable import Payments

/// Each service's OpenAPI document covers exactly the routes it serves, and `openapi/` keeps a copy of
/// each in the repository, for whoever integrates without running the stack.
@Suite struct OpenAPIDocumentTests {
    static let services: [any StackService] = {
        let transport = InMemoryTransport(logger: Stack.quietLogger)
        return try! SystemUnderTest.payments.makeServices { StackEnvironment(name: $0, transport: transport) }
    }()
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi").standardizedFileURL

    @Test(arguments: services.map(\.name))
    func documentsEveryRouteItServesAndNoOther(service: ServiceName) throws {
        let app = try #require(Self.services.first { $0.name == service })
        let document = try #require(app.document, "\(service) has no OpenAPI document")
        let served = Set(app.routes)
        let documented = Set(document.routes)
        #expect(served.subtracting(documented).map(\.description).sorted() == [], "\(service) serves routes its document lacks")
        #expect(documented.subtracting(served).map(\.description).sorted() == [], "\(service)'s document describes routes it does not serve")
    }

    @Test(arguments: services.map(\.name))
    func keepsACopyOfTheDocumentInTheRepository(service: ServiceName) throws {
        let document = try #require(Self.services.first { $0.name == service }?.document)
        let file = Self.directory.appendingPathComponent("\(service).json")
        let object = try JSONSerialization.jsonObject(with: Data(buffer: document.json.encoded()))
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        if ProcessInfo.processInfo.environment["HARNESS_PIN_DOCUMENTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try (pretty + Data("\n".utf8)).write(to: file)
        }
        let kept = try JSON(parsing: ByteBuffer(data: try Data(contentsOf: file)))
        #expect(
            kept == document.json,
            """
            openapi/\(service).json differs from the document \(service) serves: \
            run `HARNESS_PIN_DOCUMENTS=1 swift test --filter OpenAPIDocumentTests` and commit openapi/
            """)
        #expect(try Set(APIDocument(parsing: kept).routes) == Set(document.routes))
    }

    @Test func checksAnswersAgainstTheDocument() throws {
        let document = APIDocument(
            title: "t", summary: "s",
            operations: [
                .init(
                    .get, "/things/{id}", "one",
                    responses: [
                        "200": .object(
                            [
                                "id": .string, "size": Schema(["type": "integer", "minimum": 1]),
                                "tags": .array(.oneOf("a", "b")), "note": Schema.string.orNull,
                            ],
                            optional: ["note"])
                    ]),
                .init(.get, "/things/special", "the special one", responses: ["200": nil]),
            ], schemas: [:], errors: .balanced)
        func problems(_ path: String, _ status: Int, _ body: String) -> [String] {
            document.problems(.get, path, status: status, body: ByteBuffer(string: body))
        }
        #expect(problems("/things/1", 200, #"{"id": "1", "size": 2, "tags": ["a"]}"#) == [])
        #expect(
            problems("/things/1", 200, #"{"id": 1, "size": 0, "tags": ["c"], "extra": true}"#) == [
                "$.extra: is not in the document", "$.id: 1 is not string", "$.size: 0 is below 1", #"$.tags[0]: "c" is not one of "a", "b""#,
            ])
        #expect(
            problems("/things/1", 200, #"{"size": 1.5, "tags": [], "note": null}"#) == [
                "$.id: is required but missing", "$.size: 1.5 is not integer",
            ])
        #expect(problems("/things/special", 200, "not json") == [], "a route without a JSON body")
        #expect(problems("/things/1", 201, "{}") == ["status 201 is not declared (the document declares 200, 4XX, 5XX)"])
        #expect(problems("/things/1", 404, #"{"errors": []}"#) == ["$.errors: [] has fewer than 1 items"], "errors use Balanced's envelope")
        #expect(problems("/elsewhere", 200, "{}") == ["GET /elsewhere is not in the document"])
        #expect(problems("/elsewhere", 404, "{}") == [], "no route, and the router said so")
        #expect(problems("/things/1", 200, "[1") == ["the body is not JSON"])
        #expect(document.route(.get, "/things/special")?.template == "/things/special", "a literal segment before a parameter")
    }
}

/// A document's request schemas take what the server takes: the rules they are built from are the
/// server's own (`JSON.wholeNumber`, `Schema.whole`), and payments' document takes what Balanced's
/// clients send.
@Suite struct RequestSchemaTests {
    static let validator = SchemaValidator(components: [:])

    @Test(arguments: [1...12, 0...5, 100...9999, 1800...9999, 1...Int(Int32.max), 0...JSON.largestExactInteger])
    func aWholeNumberSchemaTakesWhatTheServerReads(range: ClosedRange<Int>) {
        let schema = Schema.whole(range).json
        var numbers = [
            0, 1, 5, 9, 10, 11, 12, 13, 99, 100, 999, 1000, 1799, 1800, 9999, 10_000, Int(Int32.max), Int(Int32.max) + 1,
            JSON.largestExactInteger, JSON.largestExactInteger + 1, -1,
        ]
        numbers += [range.lowerBound - 1, range.lowerBound, range.upperBound, range.upperBound + 1]
        var generator = SystemRandomNumberGenerator()
        numbers += (0..<200).map { _ in Int.random(in: 0...range.upperBound * 2, using: &generator) }
        for number in numbers {
            var values: [JSON] = [.number(Double(number))]
            if number >= 0 { values += [.string(String(number)), .string("00" + String(number))] }
            for value in values {
                let taken = Self.validator.problems(value, against: schema).isEmpty
                #expect(taken == (value.wholeNumber.map(range.contains) ?? false), "\(value) against \(range)")
            }
        }
        for value: JSON in ["+5", " 5", "5 ", "5\n", "", "٣", "1e3", 1.5, true, nil, [5]] {
            #expect(!Self.validator.problems(value, against: schema).isEmpty && value.wholeNumber.map(range.contains) != true, "\(value)")
        }
    }

    /// The request schema of `method template` in payments' document, and the document's validator.
    func problems(_ method: String, _ template: String, _ body: JSON) -> [String] {
        let json = PaymentsAPI.document.json
        let schema = json["paths"][template][method]["requestBody"]["content"]["application/json"]["schema"]
        return SchemaValidator(components: json["components"]["schemas"].object ?? [:]).problems(body, against: schema)
    }

    @Test func paymentsDocumentTakesWhatBalancedsClientsSend() {
        let taken: [(String, String, JSON)] = [
            ("post", "/cards/{id}/debits", ["amount": "50"]),
            ("post", "/cards/{id}/debits", ["debits": [["amount": 1234, "description": "Order 42"]]]),
            ("post", "/cards/{id}/debits", ["amount": 1234, "bank_accounts_id": nil, "cards_id": nil, "appears_on_statement_as": "BAL*example.com"]),
            ("post", "/debits", ["amount": 100, "source": "/cards/CC4Tbd9Vv2qQvyX3Fq1IOBxf"]),
            (
                "post", "/debits",
                [
                    "amount": 100,
                    "source": [
                        "number": "4111 1111 1111 1111", "expiration_month": "12", "expiration_year": 2016,
                        "cvv": 123,
                    ],
                ]
            ),
            (
                "post", "/cards",
                [
                    "number": 4_111_111_111_111_111, "expiration_month": 12, "expiration_year": "2016", "cvv": "123",
                    "address": ["postal_code": 94301, "country_code": "GBR"],
                ]
            ),
            ("post", "/customers", ["name": "Henry Ford", "dob_month": "07", "dob_year": "1963", "address": ["postal_code": "48120"]]),
            ("post", "/customers", nil),
            ("put", "/debits/{id}", ["description": "shipped", "amount": 5, "status": "failed", "created_at": "2014-12-16T20:44:41Z"]),
            ("put", "/card_holds/{id}", ["card_holds": [["is_void": true, "amount": 100]]]),
            (
                "patch", "/cards/{id}",
                [["op": "add", "path": "/cards/0/meta/k", "value": "v"], ["op": "move", "from": "/cards/0/meta/k", "path": "/cards/0/meta/j"]]
            ),
            ("post", "/debits/{id}/refunds", [:]),
        ]
        for (method, template, body) in taken {
            #expect(problems(method, template, body) == [], "\(method) \(template) \(body)")
        }
        let refused: [(String, String, JSON)] = [
            ("post", "/cards/{id}/debits", ["amount": 2_147_483_648]), ("post", "/cards/{id}/debits", ["amount": "ten"]),
            ("post", "/cards/{id}/debits", ["amount": 0]), ("post", "/cards/{id}/debits", ["debits": []]), ("post", "/cards/{id}/debits", [:]),
            ("post", "/cards/{id}/debits", ["amount": 100, "currency": "EUR"]),
            ("post", "/debits", ["amount": 100, "source": "/bank_accounts/BA1"]), ("post", "/debits", ["amount": 100]),
            ("post", "/customers", ["ein": "12"]), ("post", "/customers", ["links": "CC1"]),
            ("put", "/debits/{id}", ["meta": ["k": ["nested"]]]),
            ("patch", "/cards/{id}", [["op": "add", "path": "/cards/0/x"]]), ("patch", "/cards/{id}", [["op": "add", "path": "cards", "value": 1]]),
        ]
        for (method, template, body) in refused {
            #expect(problems(method, template, body) != [], "\(method) \(template) \(body)")
        }
    }
}
