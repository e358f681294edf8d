import Foundation
import Harness
import NIOCore
import PaymentsSystem
import ServiceKit
import Testing

/// Each service's OpenAPI document covers exactly the routes it serves, and `openapi/` keeps a copy of
/// each in the repository, for whoever integrates without running the stack.
@Suite struct OpenAPIDocumentTests {
    static let services: [any ServiceApp] = {
        let transport = InMemoryTransport(logger: Stack.quietLogger)
        return try! SystemUnderTest.payments.makeServices { _ in ServiceEnvironment(transport: transport) }
    }()
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi").standardizedFileURL

    @Test(arguments: services.map(\.name))
    func documentsEveryRouteItServesAndNoOther(service: ServiceName) throws {
        let app = try #require(Self.services.first { $0.name == service })
        let document = try #require(app.apiDocument, "\(service) has no OpenAPI document")
        let served = Set(app.routes().map(\.route))
        let documented = Set(document.routes)
        #expect(served.subtracting(documented).sorted() == [], "\(service) serves routes its document lacks")
        #expect(documented.subtracting(served).sorted() == [], "\(service)'s document describes routes it does not serve")
    }

    @Test(arguments: services.map(\.name))
    func keepsACopyOfTheDocumentInTheRepository(service: ServiceName) throws {
        let document = try #require(Self.services.first { $0.name == service }?.apiDocument)
        let file = Self.directory.appendingPathComponent("\(service).json")
        let object = try JSONSerialization.jsonObject(with: Data(buffer: document.json.encoded()))
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        if ProcessInfo.processInfo.environment["HARNESS_PIN_DOCUMENTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try (pretty + Data("\n".utf8)).write(to: file)
        }
        let kept = try JSON(parsing: ByteBuffer(data: try Data(contentsOf: file)))
        #expect(kept == document.json, """
            openapi/\(service).json differs from the document \(service) serves: \
            run `HARNESS_PIN_DOCUMENTS=1 swift test --filter OpenAPIDocumentTests` and commit openapi/
            """)
        #expect(try APIDocument(parsing: kept).routes.sorted() == document.routes.sorted())
    }

    @Test func checksAnswersAgainstTheDocument() throws {
        let document = APIDocument(title: "t", summary: "s", operations: [
            .init(.get, "/things/{id}", "one", responses: ["200": .object(["id": .string, "size": Schema(["type": "integer", "minimum": 1]),
                                                                            "tags": .array(.oneOf("a", "b")), "note": Schema.string.orNull],
                                                                           optional: ["note"])]),
            .init(.get, "/things/special", "the special one", responses: ["200": nil]),
        ], schemas: [:])
        func problems(_ path: String, _ status: Int, _ body: String) -> [String] {
            document.problems(.get, path, status: status, body: ByteBuffer(string: body))
        }
        #expect(problems("/things/1", 200, #"{"id": "1", "size": 2, "tags": ["a"]}"#) == [])
        #expect(problems("/things/1", 200, #"{"id": 1, "size": 0, "tags": ["c"], "extra": true}"#) == [
            "$.extra: is not in the document", "$.id: 1 is not string", "$.size: 0 is below 1", #"$.tags[0]: "c" is not one of "a", "b""#,
        ])
        #expect(problems("/things/1", 200, #"{"size": 1.5, "tags": [], "note": null}"#) == ["$.id: is required but missing", "$.size: 1.5 is not integer"])
        #expect(problems("/things/special", 200, "not json") == [], "a route without a JSON body")
        #expect(problems("/things/1", 201, "{}") == ["status 201 is not declared (the document declares 200, 4XX, 5XX)"])
        #expect(problems("/things/1", 404, #"{"errors": []}"#) == ["$.errors: [] has fewer than 1 items"], "errors use Balanced's envelope")
        #expect(problems("/elsewhere", 200, "{}") == ["GET /elsewhere is not in the document"])
        #expect(problems("/elsewhere", 404, "{}") == [], "no route, and the router said so")
        #expect(problems("/things/1", 200, "[1") == ["the body is not JSON"])
        #expect(document.template(.get, "/things/special") == "/things/special", "a literal segment before a parameter")
    }
}
