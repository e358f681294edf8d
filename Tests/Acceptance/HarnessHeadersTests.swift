import Foundation
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Synchronization
import Testing

/// The harness's own headers work inside the stack only: a provider reports which request fields its
/// handler read to a peer the stack verified, and to no merchant.
@Suite struct HarnessHeadersTests {
    static let ask = HTTPField.Name("Harness-Report-Reads")!
    static let report = HTTPField.Name("Harness-Request-Reads")!

    @Test(arguments: Modes.all)
    func tellsAMerchantNothingOfWhatAHandlerReads(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let asking: HTTPFields = [Self.ask: "1"]
            let card = try await merchant.payments.post("/cards", TestCard.visa, headers: asking)
            let id = try #require(try expectStatus(card, 201)["cards"][0]["id"].string)
            let debit = try await merchant.payments.post("/cards/\(id)/debits", ["amount": 500], headers: asking)
            try expectStatus(debit, 201)
            let refused = try await merchant.payments.post("/debits", ["amount": "lots"], headers: asking)
            #expect(refused.status.code == 400)
            let summary = try await merchant.dashboard.get("/summary", headers: asking)
            try expectStatus(summary, 200)
            for response in [card, debit, refused, summary] {
                #expect(
                    response.head.headerFields.filter { $0.name.rawName.lowercased().hasPrefix("harness-") }.isEmpty,
                    "a merchant's answer carries no harness header: \(response.head.headerFields)")
            }
        }
    }
}

@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "taps a hop and signs as payments, which \(Modes.inProcessOnly)")))
struct HarnessHeadersInsideTests {
    @Test(arguments: Modes.all)
    func reportsReadsToAPeerTheStackVerified(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let reports = Mutex<[String?]>([])
            try stack.tap(.fraud, from: .payments) { _, response in
                reports.withLock { $0.append(response.head.headerFields[HarnessHeadersTests.report]) }
            }
            let merchant = try await stack.openMarketplace()
            try expectStatus(try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.visa]), 201)
            let seen = reports.withLock { $0 }
            #expect(seen.contains { $0?.contains("cvv_match:") == true }, "payments learns which fields fraud read: \(seen)")
            // Signed as payments from outside, as a test that drives vault directly is.
            let signed = try stack.client(.vault, as: .payments)
            let stored = try await signed.post("/cards", TestCard.visa, headers: [HarnessHeadersTests.ask: "1", .tenant: merchant.marketplace])
            #expect(stored.head.headerFields[HarnessHeadersTests.report]?.contains("number:r:") == true, "\(stored.head.headerFields)")
        }
    }
}
