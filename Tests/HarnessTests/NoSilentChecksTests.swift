import Foundation
import Harness
import ServiceKit
import Testing

/// A check that cannot run is an error, never silence: a stack whose contracts cannot be read does not
/// boot, and a fault rule that can hit nothing is refused. Each error names what is wrong and what to do.
@Suite struct NoSilentChecksTests {
    func directory(_ files: [String: String] = [:]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harness-contracts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url.path
    }

    func bootError(_ contracts: StackContracts) -> String {
        do {
            _ = try Stack.inMemory(shop(), contracts: contracts)
            return "booted"
        } catch {
            return "\(error)"
        }
    }

    @Test func refusesToBootWithoutItsContractsDirectory() {
        #expect(
            bootError(.directory("/nonexistent/contracts")) == "the contracts directory /nonexistent/contracts does not exist; "
                + "record them with `harness contracts record --directory /nonexistent/contracts`, "
                + "or boot the stack with `contracts: .none` to check nothing")
    }

    @Test func refusesToBootWithAnEmptyContractsDirectory() throws {
        let path = try directory()
        #expect(
            bootError(.directory(path)) == "the contracts directory \(path) holds no contract (*.json); "
                + "record them with `harness contracts record --directory \(path)`, or boot the stack with `contracts: .none` to check nothing")
    }

    @Test func refusesToBootWithACorruptContract() throws {
        let path = try directory(["orders-stock.json": "{\"consumer\": \"orders\", "])
        let error = bootError(.directory(path))
        #expect(error.hasPrefix("\(path)/orders-stock.json is not a contract: "), "\(error)")
        #expect(error.hasSuffix("or boot the stack with `contracts: .none` to check nothing"), "\(error)")
        #expect(!error.contains("\n"))
    }

    @Test func bootsWithNoContractsWhenToldSo() throws {
        _ = try Stack.inMemory(shop(), contracts: .none)
    }

    @Test func takesTheSuitesContractsFromTheEnvironmentItIsGiven() {
        let recording = StackContracts.forSuite(environment: [StackContracts.recordingFileVariable: "/tmp/run.jsonl"], directory: "/repo/contracts")
        #expect("\(recording)".contains("/tmp/run.jsonl"))
        let verifying = StackContracts.forSuite(environment: [StackContracts.directoryVariable: "/elsewhere"], directory: "/repo/contracts")
        #expect("\(verifying)" == "directory(\"/elsewhere\")")
        #expect("\(StackContracts.forSuite(environment: [:], directory: "/repo/contracts"))" == "directory(\"/repo/contracts\")")
    }

    @Test func refusesAFaultForAServiceTheStackDoesNotHave() throws {
        let stack = try Stack.inMemory(shop(), contracts: .none)
        #expect { try stack.inject(.status(503), into: "frod") } throws: { error in
            "\(error)" == "fault rule status 503 into frod: callee frod is not a service of this stack; it has orders, stock"
        }
        #expect { try stack.inject(.status(503), into: "stock", from: "order") } throws: { error in
            "\(error)" == "fault rule status 503 into stock from order: caller order is not a service of this stack; it has orders, stock"
        }
    }

    @Test func refusesAFaultForARouteItsServiceDoesNotDeclare() throws {
        let stack = try Stack.inMemory(shop(), contracts: .none)
        #expect { try stack.inject(.connectionReset, into: "stock", route: "GET /item/{sku}") } throws: { error in
            "\(error)" == "fault rule connection reset into stock on GET /item/{sku}: stock has no route GET /item/{sku}; "
                + "its routes are GET /health, GET /items/{sku}"
        }
        try stack.inject(.connectionReset, into: "stock", route: "GET /items/{sku}")
        try stack.inject(.connectionReset, into: "stock", route: "GET /items/A1")
    }
}
