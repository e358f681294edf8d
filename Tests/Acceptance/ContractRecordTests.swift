import Foundation
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Drift that no scenario asserts still fails the run: a provider stops sending a field its consumer
/// reads optionally, and the consumer would silently take its default.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites vault's response in flight, which \(Modes.inProcessOnly)")))
struct ContractRecordTests {
    @Test(arguments: Modes.all)
    func failsTheRunWhenAnOptionalFieldIsRenamed(mode: StackMode) async throws {
        // What payments reads of a debit's answers, learned from a run without drift.
        let learned = try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.cvvMismatch])
            return try stack.contracts()
        }
        let drift = await expectDrift(mode, contracts: .book(learned)) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.intercept(.vault, from: .payments) { request, next in
                try await next(request).rewritingJSON { $0 = $0.renamingKey("cvv_match", to: "cvv_result") }
            }
            // The debit still succeeds: payments reads cvv_match optionally and takes nil.
            let debit = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.cvvMismatch])
            #expect(debit.status == .created)
        }
        #expect(drift.map(\.kind) == [.readButDefaulted], "\(drift)")
        #expect(drift.first?.route == "POST /cards" && drift.first?.field == "cvv_match" && drift.first?.likelyRename == "cvv_result")
    }
}

/// The other kinds of drift the live check names, each made by rewriting a provider's answer in flight.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites answers in flight, which \(Modes.inProcessOnly)")))
struct ContractDriftKindsTests {
    /// What payments reads while debiting an inline card, learned from a run without drift.
    static func learned(_ mode: StackMode) async throws -> ContractBook {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.visa])
            return try stack.contracts()
        }
    }

    /// The drift a debit of an inline card reports after `rewrite` is installed.
    func drift(_ mode: StackMode, _ callee: ServiceName, _ rewrite: @escaping Hops.Handler) async throws -> Drift? {
        let contracts = try await Self.learned(mode)
        let drift = await expectDrift(mode, contracts: .book(contracts)) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.intercept(callee, from: .payments, rewrite)
            _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.visa])
        }
        #expect(drift.count == 1, "\(drift)")
        return drift.first
    }

    @Test(arguments: Modes.all)
    func namesANewRequiredRequestField(mode: StackMode) async throws {
        // As vault would answer had its handler come to require `postal_code`: the field refused, and
        // its report of the request fields it read, `postal_code` required and absent.
        let found = try await drift(mode, .vault) { _, _ in
            var refusal = ServiceResponse(
                .badRequest,
                json: [
                    "errors": [
                        [
                            "category_code": "request", "description": "postal_code: is required.",
                            "extras": ["postal_code": "is required"],
                        ]
                    ]
                ])
            refusal.head.headerFields[HTTPField.Name("Harness-Request-Reads")!] = "number:r:string,postal_code:r:absent"
            return refusal
        }
        #expect(
            found?.kind == .newRequiredRequestField && found?.field == "postal_code" && found?.route == "POST /cards",
            "\(String(describing: found))")
        let refused = try await drift(mode, .vault) { _, _ in
            ServiceResponse(
                .badRequest,
                json: [
                    "errors": [
                        [
                            "category_code": "request", "description": "number: is not a card number.",
                            "extras": ["number": "is not a card number"],
                        ]
                    ]
                ])
        }
        #expect(refused?.kind == .requestFieldRefused && refused?.field == "number", "\(String(describing: refused))")
    }

    @Test(arguments: Modes.all)
    func namesAChangedStatus(mode: StackMode) async throws {
        let found = try await drift(mode, .fraud) { request, next in
            var response = try await next(request)
            response.head.status = .ok
            return response
        }
        #expect(found?.kind == .statusChanged && found?.route == "POST /checks" && found?.field == nil, "\(String(describing: found))")
    }

    @Test(arguments: Modes.all)
    func namesAFieldThatBecameNullable(mode: StackMode) async throws {
        let found = try await drift(mode, .vault) { request, next in
            try await next(request).rewritingJSON { json in
                if case .object(var object) = json {
                    object["name"] = .null
                    json = .object(object)
                }
            }
        }
        #expect(found?.kind == .nowNullable && found?.field == "name" && found?.route == "POST /cards", "\(String(describing: found))")
    }
}

extension ContractDriftKindsTests {
    @Test(arguments: Modes.all)
    func namesARequestFieldTheProviderNoLongerReads(mode: StackMode) async throws {
        // As fraud would report it had it renamed `cvv_match` to `cvv_result` in its own request view.
        let found = try await drift(mode, .fraud) { request, next in
            var response = try await next(request)
            let reads = response.head.headerFields[HTTPField.Name("Harness-Request-Reads")!] ?? ""
            response.head.headerFields[HTTPField.Name("Harness-Request-Reads")!] = reads.replacingOccurrences(
                of: "cvv_match:o:string", with: "cvv_result:o:absent")
            return response
        }
        #expect(
            found?.kind == .requestFieldNoLongerRead && found?.field == "cvv_match" && found?.likelyRename == "cvv_result",
            "\(String(describing: found))")
    }
}

/// The suites find `contracts/` from their own source file, so they check it from any working directory.
@Suite struct CheckedInContractsTests {
    @Test func areTheRepositorysFromAnyWorkingDirectory() throws {
        guard case .directory(let path) = HarnessConfiguration.suite.contracts else { return }  // a recording run checks nothing
        #expect(path.hasPrefix("/"), "\(path)")
        #expect(FileManager.default.fileExists(atPath: path + "/payments-fraud.json"), "\(path)")
    }
}
