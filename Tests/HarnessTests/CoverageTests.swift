import Harness
import NIOCore
import ServiceKit
import Testing

@Suite struct CoverageTests {
    static let lcov = """
        SF:/repo/Sources/Services/Fraud/Controllers/ChecksController.swift
        DA:10,3
        DA:11,0
        DA:12,1
        end_of_record
        SF:/repo/Sources/Services/ServiceKit/JSON.swift
        DA:5,2
        end_of_record
        SF:/elsewhere/Dependency.swift
        DA:1,1
        end_of_record
        """
    static let summary = """
        {"data":[{"files":[{"filename":"/repo/Sources/Services/Fraud/Controllers/ChecksController.swift",
          "summary":{"lines":{"count":200,"covered":189},"functions":{"count":10,"covered":9},"regions":{"count":20,"covered":15}}},
          {"filename":"/repo/Sources/Services/ServiceKit/JSON.swift",
          "summary":{"lines":{"count":10,"covered":10},"functions":{"count":2,"covered":2},"regions":{"count":4,"covered":4}}}]}]}
        """

    func data() throws -> CoverageData {
        try CoverageData(summaryJSON: ByteBuffer(string: Self.summary), lcov: Self.lcov, root: "/repo")
    }

    @Test func namesPartsByServiceAndLayer() {
        #expect(CoverageParts.part(of: "Sources/Services/Payments/Models/Debit.swift") == "Payments/Models")
        #expect(CoverageParts.part(of: "Sources/Services/Payments/PaymentsService.swift") == "Payments/App")
        #expect(CoverageParts.part(of: "Sources/Services/ServiceKit/JSON.swift") == "ServiceKit")
        #expect(CoverageParts.part(of: "Sources/Harness/Coverage/Edges.swift") == "Harness")
        #expect(CoverageParts.part(of: "Tests/Unit/X.swift") == nil)
        #expect(CoverageParts.matches("Fraud/Controllers", "*/Controllers"))
        #expect(CoverageParts.matches("Fraud/Controllers", "Fraud/*"))
        #expect(!CoverageParts.matches("Fraud/Models", "*/Controllers"))
        #expect(CoverageParts.matches("ServiceKit", "ServiceKit"))
    }

    @Test func readsOnlyThePackagesFilesAndTotalsEachRow() throws {
        let data = try data()
        #expect(data.files.keys.sorted() == ["Sources/Services/Fraud/Controllers/ChecksController.swift", "Sources/Services/ServiceKit/JSON.swift"])
        #expect(data.files["Sources/Services/Fraud/Controllers/ChecksController.swift"]?.lines == [10: 3, 11: 0, 12: 1])
        let table = CoverageTable(["unit": data])
        #expect(table.rows.map(\.name) == ["Fraud", "Fraud/Controllers", "ServiceKit"])
        #expect(table.rows[1].runs["unit"]?.lines == CoverageData.Count(covered: 189, total: 200))
        #expect(table.text.contains("Fraud/Controllers"))
    }

    @Test func failsThePartsBelowTheirBarAndSaysByHowMuch() throws {
        let gate = try CoverageGate(
            config: ByteBuffer(string: #"{"unit": {"*/Controllers": {"lines": 95, "regions": 70}, "ServiceKit": {"lines": 100}}}"#))
        let failures = gate.failures(CoverageTable(["unit": try data()]))
        #expect(failures == ["unit: Fraud/Controllers: 94.50% lines < 95%"], "75% regions meets its bar of 70%; ServiceKit is at 100%")
        #expect(throws: HarnessError.self) { try CoverageGate(config: ByteBuffer(string: #"{"unit": {"*": {"branches": 5}}}"#)) }
        #expect(throws: HarnessError.self) { try CoverageGate(config: ByteBuffer(string: "not json")) }
    }

    @Test func listsChangedLinesNoTestRuns() throws {
        let diff = """
            diff --git a/Sources/Services/Fraud/Controllers/ChecksController.swift b/Sources/Services/Fraud/Controllers/ChecksController.swift
            --- a/Sources/Services/Fraud/Controllers/ChecksController.swift
            +++ b/Sources/Services/Fraud/Controllers/ChecksController.swift
            @@ -9,0 +10,3 @@ struct ChecksController {
            +changed
            """
        let coverage = DiffCoverage(since: "HEAD~1", diff: diff, coverage: try data())
        #expect(coverage.changed == ["Fraud": 3])
        #expect(coverage.missed["Fraud"]?.map(\.line) == [11])
        #expect(coverage.text.contains("Fraud: 1 of 3 changed lines not executed"))
    }

    @Test func findsRoutesNoOneCalledAndClientRoutesNoTestExercised() {
        let catalog = SystemCatalog(
            routes: ["stock": [PeerRoute("stock", .get, "/items/{sku}"), PeerRoute("stock", .delete, "/items/{sku}")]],
            consumes: ["orders": [PeerRoute("stock", .get, "/items/{sku}"), PeerRoute("stock", .post, "/reservations")]])
        let report = EdgeReport(
            observed: [
                Edge(consumer: "orders", provider: "stock", route: "GET /items/{sku}", status: 200),
                Edge(consumer: nil, provider: "stock", route: "GET /items/{sku}", status: 404),
            ], catalog: catalog)
        #expect(report.uncalledRoutes.map(\.description) == ["stock DELETE /items/{sku}"])
        #expect(report.unseenStatuses == ["stock GET /items/{sku} 404: orders never saw it"])
        #expect(report.unexercised == ["orders → stock POST /reservations"])
    }
}
