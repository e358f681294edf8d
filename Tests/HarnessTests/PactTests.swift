import Foundation
import HTTPTypes
import Harness
import Logging
import ServiceKit
import Testing

/// Contracts exported as Pact V4, and the provider states a served stack sets up for Pact's verifier.
@Suite struct PactTests {
    /// `orders` reads a stock level: `available` (a number), `state` (an enum, nullable), `tags[]`, and
    /// an optional `note` that never came.
    func recordedStockRead() -> ContractBook {
        let recorder = ContractRecorder(expected: ContractBook([]), recording: true)
        for (available, state) in [(3, JSON.null), (0, JSON.string("sold_out"))] {
            var read = ObservedRead(
                consumer: "orders", provider: "stock", route: "GET /items/{sku}", status: 200,
                fields: [
                    FieldRead(path: "available", required: true, types: ["number"], accepts: nil, seen: []),
                    FieldRead(path: "state", required: false, types: [state.typeName], accepts: ["in_stock", "sold_out"], seen: []),
                    FieldRead(path: "tags", required: true, types: ["array"], accepts: nil, seen: []),
                    FieldRead(path: "tags[]", required: true, types: ["string"], accepts: nil, seen: []),
                    FieldRead(path: "note", required: false, types: ["absent"], accepts: nil, seen: []),
                ], body: ["sku": "A1", "available": .number(Double(available)), "state": state, "tags": ["toys"]])
            read.request = HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/items/A1?fresh=yes", headerFields: [.tenant: "T1"])
            recorder.observed(read)
        }
        return recorder.book
    }

    static let stocked = ProviderState("an item is stocked", provider: "stock", routes: ["GET /items/{sku}"], provides: ["sku"]) { params, _ in
        ["sku": "B" + (params["sku"] ?? "")]
    }

    @Test func expectsExactlyTheFieldsReadWithMatchers() throws {
        let pact = try #require(recordedStockRead().contract("orders", "stock")).pact(states: [Self.stocked])
        #expect(pact["consumer"]["name"] == "orders" && pact["provider"]["name"] == "stock")
        #expect(pact["metadata"]["pactSpecification"]["version"] == "4.0")
        let interaction = pact["interactions"][0]
        #expect(interaction["type"] == "Synchronous/HTTP")
        let response = interaction["response"]
        #expect(response["status"] == 200)
        // Unread `sku` and never-came `note` are not expected; `state` has the value that came, not null.
        #expect(response["body"]["content"] == ["available": 3, "state": "sold_out", "tags": ["toys"]])
        let rules = response["matchingRules"]["body"]
        #expect(rules["$.available"] == ["combine": "AND", "matchers": [["match": "type"]]])
        #expect(rules["$.state"] == ["combine": "OR", "matchers": [["match": "regex", "regex": "^(in_stock|sold_out)$"], ["match": "null"]]])
        #expect(rules["$.tags"]["matchers"][0] == ["match": "type", "min": 0])
        #expect(rules["$.tags[*]"]["matchers"][0] == ["match": "type"])
        #expect(rules["$.note"].isNull && rules["$.sku"].isNull)
    }

    @Test func asksTheProviderStateForTheIdsOfTheRecordedRun() throws {
        let pact = try #require(recordedStockRead().contract("orders", "stock")).pact(states: [Self.stocked])
        let interaction = pact["interactions"][0]
        #expect(interaction["providerStates"] == [["name": "an item is stocked", "params": ["sku": "A1", "x-tenant": "T1"]]])
        let request = interaction["request"]
        #expect(request["path"] == "/items/A1")
        #expect(request["query"] == ["fresh": ["yes"]])
        #expect(request["headers"] == ["x-tenant": ["T1"]])
        #expect(request["generators"]["path"] == ["type": "ProviderState", "expression": "/items/${sku}", "dataType": "STRING"])
        #expect(request["body"].isNull)
    }

    @Test func refusesToExportAnInteractionWithoutARecordedCall() {
        let recorder = ContractRecorder(expected: ContractBook([]), recording: false)
        recorder.observed(ObservedRead(consumer: "orders", provider: "stock", route: "GET /items/{sku}", status: 200, fields: [], body: [:]))
        #expect(throws: HarnessError.self) { try recorder.book.contracts[0].pact(states: []) }
    }

    @Test func contractFilesNeverHoldTheExamples() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pact-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try recordedStockRead().write(to: directory)
        let written = try String(contentsOfFile: "\(directory)/orders-stock.json", encoding: .utf8)
        #expect(!written.contains("example") && !written.contains("A1"))
    }

    @Test func aServedStackSetsUpProviderStatesOnlyInTestMode() async throws {
        let logger = Logger(label: "pact-tests")
        let services = try shop().makeServices { StackEnvironment(name: $0, transport: InMemoryTransport(logger: logger), logger: logger) }
        let states = ProviderStates([Self.stocked], transport: InMemoryTransport(logger: logger))
        for testEndpoints in [TestEndpoints(), TestEndpoints(providerStates: states)] {
            let server = try await StackServer.start(services, logger: logger, testEndpoints: testEndpoints)
            do {
                try await checkProviderStates(served: server.port, testEndpoints.providerStates != nil)
            } catch {
                try await server.stop()
                throw error
            }
            try await server.stop()
        }
    }

    func checkProviderStates(served port: Int, _ inTestMode: Bool) async throws {
        let client = ServiceClient(caller: nil, transport: HTTPTransport(baseURL: "http://127.0.0.1:\(port)"))
        func post(_ body: JSON) async throws -> ServiceResponse {
            try await client.send("_harness", .post, "/provider-states", body: body.encoded())
        }
        let made = try await post(["state": "an item is stocked", "params": ["sku": "A1"], "action": "setup"])
        guard inTestMode else {
            #expect(made.status == .notFound)
            return
        }
        #expect(made.status == .ok && made.json == ["sku": "BA1"])
        #expect(try await post(["state": "an item is stocked", "action": "teardown"]).json == [:])
        let unknown = try await post(["state": "no such state", "action": "setup"])
        #expect(unknown.status == .badRequest)
        #expect(unknown.json?["detail"].string?.contains("an item is stocked") == true, "the harness answers in RFC 9457 problem details")
        #expect(try await post(["action": "setup"]).status == .badRequest)
        #expect(try await client.send("_harness", .get, "/provider-states").status == .methodNotAllowed)
    }
}
