import ArgumentParser
import Foundation
import Harness
import Testing

@testable import HarnessCLI

/// Each mistake on the command line is one line naming what is wrong and what to do, with a non-zero
/// exit, and nothing is served, created or left running as if it were fine.
@Suite struct CommandLineMistakesTests {
    /// The line `harness` prints for `arguments`, as `main` would, or nil if the command succeeded.
    func failure(_ arguments: [String]) async -> String? {
        do {
            try await HarnessCommand.tool.run(arguments)
            return nil
        } catch {
            let (line, code) = HarnessCommand.tool.failure(error)
            #expect(code != 0)
            #expect(!line.contains("\n"))
            return line
        }
    }

    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harness-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func refusesToCheckContractsThatAreNotThere() async throws {
        let data = try scratch().appendingPathComponent("data").path
        let line = await failure(["serve", "--check-contracts", "/nonexistent", "--data-dir", data, "--port", "0"])
        #expect(
            line == "harness: error: --check-contracts /nonexistent: the contracts directory /nonexistent does not exist; "
                + "record them with `harness contracts record --directory /nonexistent`, or serve without --check-contracts")
        #expect(!FileManager.default.fileExists(atPath: data), "nothing is written for a command that is refused")
    }

    @Test func refusesAFaultRuleForAServiceTheStackDoesNotHave() async throws {
        let directory = try scratch()
        let faults = directory.appendingPathComponent("faults.json").path
        try #"{"rules": [{"callee": "frod", "fault": {"status": 503}}]}"#.write(toFile: faults, atomically: true, encoding: .utf8)
        let line = await failure(["serve", "--faults", faults, "--data-dir", directory.appendingPathComponent("data").path, "--port", "0"])
        #expect(
            line
                == "harness: error: \(faults): rule 1: callee frod is not a service of this stack; it has dashboard, fraud, payments, processor, vault"
        )
    }

    @Test func refusesAFaultRuleForARouteItsServiceDoesNotDeclare() async throws {
        let directory = try scratch()
        let faults = directory.appendingPathComponent("faults.json").path
        try #"{"rules": [{"callee": "fraud", "caller": "payments", "route": "POST /check", "fault": "connection-reset"}]}"#
            .write(toFile: faults, atomically: true, encoding: .utf8)
        let line = await failure(["serve", "--faults", faults, "--data-dir", directory.appendingPathComponent("data").path, "--port", "0"])
        #expect(line?.hasPrefix("harness: error: \(faults): rule 1: fraud has no route POST /check; its routes are ") == true, "\(line ?? "")")
        #expect(line?.contains("POST /checks") == true)
    }

    @Test func refusesToRotateTheKeyOfADirectoryWithoutADeployment() async throws {
        let typo = try scratch().appendingPathComponent("typo").path
        let line = await failure(["identity", "rotate", "--data-dir", typo])
        #expect(
            line == "harness: error: --data-dir \(typo) holds no served stack (no service-identity.key, no service database); "
                + "name the data directory of the stack whose key to rotate")
        #expect(!FileManager.default.fileExists(atPath: typo), "the mistyped directory is not made")
    }

    @Test func rotatesTheKeyOfADeployment() async throws {
        let data = try scratch()
        try Data().write(to: data.appendingPathComponent("payments.sqlite"))
        #expect(await failure(["identity", "rotate", "--data-dir", data.path]) == nil)
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("service-identity.key").path))
    }

    @Test(arguments: ["serve", "partner-sandbox"])
    func saysANegativePortIsOutOfRange(command: String) async {
        #expect(await failure([command, "--port", "-1"]) == "harness: error: --port must be from 0 to 65535, not -1 (see 'harness --help')")
    }

    @Test func rehearsalLeavesNoCopyOfProductionBehindUnlessAsked() async throws {
        let production = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Unit/Fixtures/v1-data").path
        func copies() throws -> Set<String> {
            Set(
                try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                    .filter { $0.hasPrefix("harness-rehearsal-") })
        }
        let before = try copies()
        #expect(await failure(["migrate", "rehearse", "--from", production]) == nil)
        // Other rehearsals (this process's other tests, another run) may hold copies of their own for a
        // moment: wait for every copy made since to go; one this rehearsal left would never go.
        var left = try copies().subtracting(before)
        let deadline = ContinuousClock.now + .seconds(30)
        while !left.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            left = try copies().subtracting(before)
        }
        #expect(left.isEmpty, "the temporary copy of production's data is removed: \(left)")
        let kept = try scratch().appendingPathComponent("rehearsal")
        #expect(await failure(["migrate", "rehearse", "--from", production, "--into", kept.path]) == nil)
        #expect(FileManager.default.fileExists(atPath: kept.appendingPathComponent("payments.sqlite").path), "--into keeps them")
    }
}
