import HTTPTypes
import Harness
import ServiceKit
import Synchronization
import Testing

/// A stub stands in for a provider only as far as it answers as the provider's document says: each
/// answer is checked, a difference is reported naming the stub, the route and what differs, and a stub
/// with no document to be checked against is refused.
@Suite struct StubTransportTests {
    static let stock = APIDocument(
        title: "stock", summary: "Stock levels.",
        operations: [
            .init(.get, "/items/{sku}", "One item's stock.", responses: ["200": .object(["sku": .string, "count": .integer])])
        ], schemas: [:])

    static func item(_ body: JSON) -> StubTransport.Stub { { _ in ServiceResponse(.ok, json: body) } }

    static func ask(_ transport: StubTransport) async throws {
        _ = try await transport.send(
            ServiceRequest(
                caller: "orders", callee: "stock",
                head: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/items/A1")))
    }

    @Test func reportsAStubAnsweringOffItsDocumentOnce() async throws {
        let reported = Mutex<[String]>([])
        let transport = try StubTransport(
            stubs: ["stock": Self.item(["sku": "A1", "count": "3"])], documents: ["stock": Self.stock],
            logger: Stack.quietLogger
        ) { line in reported.withLock { $0.append(line) } }
        try await Self.ask(transport)
        try await Self.ask(transport)
        let line = #"the stock stub answered off stock's document: GET /items/{sku} answered 200: $.count: "3" is not integer"#
        #expect(reported.withLock { $0 } == [line])
        #expect(transport.drift == [line])
    }

    @Test func reportsNothingForAStubThatAnswersAsItsDocumentSays() async throws {
        let transport = try StubTransport(
            stubs: ["stock": Self.item(["sku": "A1", "count": 3])], documents: ["stock": Self.stock],
            logger: Stack.quietLogger
        ) { Issue.record(Comment(rawValue: $0)) }
        try await Self.ask(transport)
        #expect(transport.drift == [])
    }

    @Test func keepsButDoesNotReportTheDriftOfAStubThatDriftsOnPurpose() async throws {
        let transport = try StubTransport(
            stubs: ["stock": Self.item(["sku": "A1"])], documents: ["stock": Self.stock], drifting: ["stock"],
            logger: Stack.quietLogger
        ) { Issue.record(Comment(rawValue: $0)) }
        try await Self.ask(transport)
        #expect(transport.drift == ["the stock stub answered off stock's document: GET /items/{sku} answered 200: $.count: is required but missing"])
    }

    @Test func refusesAStubWithNoDocumentToCheckItAgainst() {
        #expect {
            try StubTransport(stubs: ["stock": Self.item([:])], documents: [:], logger: Stack.quietLogger) { _ in }
        } throws: { error in
            "\(error)" == "no OpenAPI document to check the stub of stock against: pass the provider's document "
                + "(the one it serves at GET /openapi.json, or the copy your client is generated from)"
        }
        #expect {
            try StubTransport(stubs: [:], documents: ["stock": Self.stock], drifting: ["stock"], logger: Stack.quietLogger) { _ in }
        } throws: { error in
            "\(error)" == "drifting names stock, which has no stub here; name only stubs that answer off their document"
        }
    }
}
