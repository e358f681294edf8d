import Foundation
import HTTPTypes
import Harness
import HarnessCommands
import NIOCore
import Testing

/// The harness's commands for a system that is not the payments system: a team's own tool speaks of its
/// own services and its own name, and tools of different systems run side by side in one process.
@Suite struct OwnSystemToolTests {
    /// A service of two routes that answers `{"echo": <path>}`.
    struct Echo: StackService {
        let name: ServiceName
        var routes: [Route] { [Route(.get, "/health"), Route(.get, "/echo")] }

        func respond(to request: ServiceRequest) async throws -> ServiceResponse {
            let body = try JSON.object(["echo": .string(request.path)]).encoded()
            return ServiceResponse(head: HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"]), body: body)
        }
    }

    static let echoes = SystemUnderTest([
        "echo": { _ in Echo(name: "echo") },
        "mirror": { _ in Echo(name: "mirror") },
    ])

    static let tool = HarnessTool(name: "echo-harness", system: echoes, acceptanceSuites: "^EchoTests\\.")

    func failure(_ tool: HarnessTool, _ arguments: [String]) async -> String? {
        do {
            try await tool.run(arguments)
            return nil
        } catch {
            let (line, code) = tool.failure(error)
            #expect(code != 0 && !line.contains("\n"))
            return line
        }
    }

    @Test func namesItsOwnServicesAndItsOwnName() async {
        let line = await failure(Self.tool, ["serve", "--service", "payments", "--port", "0"])
        #expect(line == "echo-harness: error: --service payments: the stack has no such service; it has echo, mirror (see 'echo-harness --help')")
    }

    @Test func checksFaultRulesAgainstItsOwnServicesRoutes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("echo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let faults = directory.appendingPathComponent("faults.json").path
        try #"{"rules": [{"callee": "echo", "route": "GET /echoes", "fault": {"status": 503}}]}"#.write(
            toFile: faults, atomically: true, encoding: .utf8)
        let line = await failure(Self.tool, ["serve", "--faults", faults, "--data-dir", directory.appendingPathComponent("data").path])
        #expect(
            line == "echo-harness: error: \(faults): rule 1: echo has no route GET /echoes; its routes are GET /echo, GET /health", "\(line ?? "")")
    }

    @Test func hasNoBenchWithoutAScenario() async {
        let line = await failure(Self.tool, ["bench"])
        #expect(line?.hasPrefix("echo-harness: error: Unexpected argument 'bench'") == true, "\(line ?? "")")
    }

    @Test func benchesTheScenarioItIsGiven() async throws {
        var tool = Self.tool
        tool.bench = [
            BenchScenario(name: "echo", "GET /echo/echo", bareHops: ["mirror"]) { stack in
                let echo = stack.client("echo")
                return BenchScenario.Run {
                    let reply = try await echo.get("/echo")
                    guard reply.json?["echo"] == "/echo" else { throw HarnessError("echo answered \(reply.bodyText)") }
                }
            }
        ]
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("echo-bench-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        #expect(await failure(tool, ["bench", "--iterations", "10", "--warmup", "1", "--boots", "2", "--json", json]) == nil)
        let figures = try JSON(parsing: ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: json))))
        let echo = figures["scenarios"]["echo"]
        #expect(echo["outer_calls_per_scenario"] == 1 && echo["hops_per_scenario"] == 0)
        #expect((echo["modes"]["in-memory"]["checks_off"]["p50_us"].number ?? 0) > 0)
        #expect((figures["bare_hop_p50_us"]["loopback"]["checks_on"].number ?? 0) > 0)
        #expect((figures["boot_p50_us"].number ?? 0) > 0)
    }

    @Test func refusesSuitesThatMatchNoTest() async throws {
        let line = await failure(Self.tool, ["contracts", "record", "--package-path", "/nonexistent"])
        #expect(line == "echo-harness: error: no Package.swift in /nonexistent: --package-path names the package whose tests run the suites")
    }
}
