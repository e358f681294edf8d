import Harness
import ServiceKit
import Testing

/// Request fields a provider reads on one path of its handler only: not drift when a call skips them.
@Suite struct ContractMergeTests {
    func call(reading paths: [String], absent: [String] = []) -> ObservedRead {
        var read = ObservedRead(consumer: "orders", provider: "stock", route: "POST /holds", status: 201, fields: [], body: .null)
        read.requestSent = ["sku", "count", "note"]
        read.requestRead =
            paths.map { FieldRead(path: $0, required: false, types: ["string"], accepts: nil, seen: []) }
            + absent.map { FieldRead(path: $0, required: false, types: ["absent"], accepts: nil, seen: []) }
        return read
    }

    @Test func notesFieldsReadOnSomeCallsOnly() throws {
        let book = ContractBook(reads: [call(reading: ["sku", "count", "note"]), call(reading: ["sku"])])
        let interaction = try #require(book.contract("orders", "stock")?.interaction("POST /holds", 201))
        #expect(interaction.requestRead.map(\.path) == ["count", "note", "sku"])
        #expect(interaction.requestReadSometimes == ["count", "note"])
    }

    @Test func aCallThatSkipsAFieldReadSometimesIsNoDriftButARenameIs() throws {
        let recorded = ContractBook(reads: [call(reading: ["sku", "count", "note"]), call(reading: ["sku"])])
        let skipping = ContractRecorder(expected: recorded)
        skipping.observed(call(reading: ["sku", "count"]))
        #expect(skipping.drift.isEmpty)

        let renaming = ContractRecorder(expected: recorded)
        renaming.observed(call(reading: ["sku", "count"], absent: ["memo"]))
        #expect(renaming.drift.map(\.kind) == [.requestFieldNoLongerRead])
        #expect(renaming.drift.first?.field == "note" && renaming.drift.first?.likelyRename == "memo")

        let dropping = ContractRecorder(expected: ContractBook(reads: [call(reading: ["sku", "count", "note"])]))
        dropping.observed(call(reading: ["sku", "count"]))
        #expect(dropping.drift.map(\.kind) == [.requestFieldNoLongerRead])
        #expect(dropping.drift.first?.field == "note" && dropping.drift.first?.likelyRename == nil)
    }
}
