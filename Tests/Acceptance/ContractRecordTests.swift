import Foundation
import Harness
import PaymentsSystem
import ServiceKit
import HTTPTypes
import Testing

/// Drift that no scenario asserts still fails the run: a provider stops sending a field its consumer
/// reads optionally, and the consumer would silently take its default.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites vault's response in flight, which \(Modes.inProcessOnly)")))
struct ContractRecordTests {
    @Test(arguments: Modes.all)
    func failsTheRunWhenAnOptionalFieldIsRenamed(mode: StackMode) async throws {
        // What payments reads of a debit's answers, learned from a run without drift.
        let learned = try await withStack(.payments, mode, contracts: .checkedIn) { stack in
            let merchant = try await stack.openMarketplace()
            _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.cvvMismatch])
            return try stack.contracts()
        }
        let drift = await #expect(throws: HarnessError.self) {
            try await withStack(.payments, mode, contracts: .book(learned)) { stack in
                let merchant = try await stack.openMarketplace()
                try stack.intercept(.vault, from: .payments) { request, next in
                    try await next(request).rewritingJSON { $0 = $0.renamingKey("cvv_match", to: "cvv_result") }
                }
                // The debit still succeeds: payments reads cvv_match optionally and takes nil.
                let debit = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.cvvMismatch])
                #expect(debit.status == .created)
            }
        }
        let message = drift?.description ?? ""
        for part in ["payments reads vault POST /cards `cvv_match` optionally", "read but defaulted",
                     "likely rename of `cvv_match` to `cvv_result`"] {
            #expect(message.contains(part), "\(message)")
        }
    }
}

/// The other kinds of drift the live check names, each made by rewriting a provider's answer in flight.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites answers in flight, which \(Modes.inProcessOnly)")))
struct ContractDriftKindsTests {
    /// What payments reads while debiting an inline card, learned from a run without drift.
    static func learned(_ mode: StackMode) async throws -> ContractBook {
        try await withStack(.payments, mode, contracts: .checkedIn) { stack in
            let merchant = try await stack.openMarketplace()
            _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.visa])
            return try stack.contracts()
        }
    }

    /// The drift a debit of an inline card reports after `rewrite` is installed.
    func drift(_ mode: StackMode, _ callee: ServiceName, _ rewrite: @escaping Hops.Handler) async throws -> String {
        let contracts = try await Self.learned(mode)
        let error = await #expect(throws: HarnessError.self) {
            try await withStack(.payments, mode, contracts: .book(contracts)) { stack in
                let merchant = try await stack.openMarketplace()
                try stack.intercept(callee, from: .payments, rewrite)
                _ = try await merchant.payments.post("/debits", ["amount": 500, "source": TestCard.visa])
            }
        }
        return error?.description ?? ""
    }

    @Test(arguments: Modes.all)
    func namesANewRequiredRequestField(mode: StackMode) async throws {
        let message = try await drift(mode, .vault) { _, _ in
            ServiceResponse(.badRequest, json: ["errors": [["category_code": "request", "description": "postal_code: is required.",
                                                           "extras": ["postal_code": "is required"]]]])
        }
        #expect(message.contains("payments calls vault POST /cards and it refused `postal_code`"), "\(message)")
        #expect(message.contains("new required request field"), "\(message)")
    }

    @Test(arguments: Modes.all)
    func namesAChangedStatus(mode: StackMode) async throws {
        let message = try await drift(mode, .fraud) { request, next in
            var response = try await next(request)
            response.head.status = .ok
            return response
        }
        #expect(message.contains("payments reads fraud POST /checks as 201 and it answered 200: status changed"), "\(message)")
    }

    @Test(arguments: Modes.all)
    func namesAFieldThatBecameNullable(mode: StackMode) async throws {
        let message = try await drift(mode, .vault) { request, next in
            try await next(request).rewritingJSON { json in
                if case .object(var object) = json { object["name"] = .null; json = .object(object) }
            }
        }
        #expect(message.contains("payments reads vault POST /cards `name`: it never came as null and now does: now nullable"), "\(message)")
    }
}

extension ContractDriftKindsTests {
    @Test(arguments: Modes.all)
    func namesARequestFieldTheProviderNoLongerReads(mode: StackMode) async throws {
        // As fraud would report it had it renamed `cvv_match` to `cvv_result` in its own request view.
        let message = try await drift(mode, .fraud) { request, next in
            var response = try await next(request)
            let reads = response.head.headerFields[HTTPField.Name("Harness-Request-Reads")!] ?? ""
            response.head.headerFields[HTTPField.Name("Harness-Request-Reads")!] = reads.replacingOccurrences(of: "cvv_match:o:string", with: "cvv_result:o:absent")
            return response
        }
        #expect(message.contains("payments sends fraud POST /checks `cvv_match`, which fraud used to read and no longer does; "
                                 + "it reads `cvv_result` instead, which payments does not send: request field no longer read"), "\(message)")
    }
}

/// The suites find `contracts/` from their own source file, so they check it from any working directory.
@Suite struct CheckedInContractsTests {
    @Test func areTheRepositorysFromAnyWorkingDirectory() throws {
        guard case .directory(let path) = StackContracts.checkedIn else { return }   // a recording run checks nothing
        #expect(path.hasPrefix("/"), "\(path)")
        #expect(FileManager.default.fileExists(atPath: path + "/payments-fraud.json"), "\(path)")
    }
}
