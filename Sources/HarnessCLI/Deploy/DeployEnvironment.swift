import Foundation
import Harness
import PaymentsSystem
import ServiceKit

/// One deployed environment (`staging`, `production`): its directory, front door port and instances.
///
/// Everything lives under `<root>/<env>/`: `data/` (the services' SQLite files and keys, shared by every
/// instance of a service, as instances share a database server), `haproxy.cfg` and its runtime API
/// socket, `peers` (where every process reaches the others: the front door), `logs/`, and `deploy.json`,
/// what is running now.
struct DeployEnvironment {
    /// The services in the order they start: each after the ones it calls.
    static let startOrder: [ServiceName] = [.processor, .fraud, .vault, .payments, .dashboard]
    static let names = ["staging", "production"]

    let name: String
    let directory: URL
    var port: Int

    init(name: String, root: String, port: Int?) throws {
        guard Self.names.contains(name) else {
            throw HarnessError("--env \(name): expected one of \(Self.names.joined(separator: ", "))")
        }
        self.name = name
        self.directory = URL(fileURLWithPath: root, isDirectory: true).appendingPathComponent(name, isDirectory: true).standardizedFileURL
        self.port = port ?? (name == "staging" ? 18300 : 18400)
    }

    var data: URL { directory.appendingPathComponent("data", isDirectory: true) }
    var logs: URL { directory.appendingPathComponent("logs", isDirectory: true) }
    var peersFile: URL { directory.appendingPathComponent("peers") }
    var haproxyConfig: URL { directory.appendingPathComponent("haproxy.cfg") }
    var socket: String { directory.appendingPathComponent("haproxy.sock").path }
    var stateFile: URL { directory.appendingPathComponent("deploy.json") }
    var frontDoor: String { "http://127.0.0.1:\(port)" }

    /// The instances to run: `count` of each service, on the ports after the front door's, each from the
    /// executable `build` names for its service.
    func plan(instances count: Int, external: Peers, build: (String) -> String? = { _ in nil }) -> [Instance] {
        var next = port
        return Self.startOrder.filter { external.urls[$0] == nil }.flatMap { service in
            (1...(service == .processor ? 1 : count)).map { number in
                next += 1
                return Instance(service: service.rawValue, number: number, port: next, pid: 0, build: build(service.rawValue))
            }
        }
    }

    /// Where every process reaches every service: the front door, or an address given with `--peer`.
    func writePeers(external: Peers) throws {
        let lines = Self.startOrder.map { "\($0)=\(external.urls[$0] ?? frontDoor)" }
        let text = "# Where the \(name) processes reach each other (NAME=URL), written by `harness deploy`.\n" + lines.joined(separator: "\n") + "\n"
        try text.write(to: peersFile, atomically: true, encoding: .utf8)
    }

    /// `executable`, copied once under `<root>/builds/<version>/` and run from there: a later build
    /// overwrites `.build/debug/harness`, and an environment must go on saying, and running, what it ran.
    func keep(_ executable: String) throws -> String {
        let version = try Processes.run(executable, ["--version"])
        let name = version.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard version.status == 0, !name.isEmpty, !name.contains("/") else {
            throw HarnessError("\(executable) --version says no version: it is not a harness build")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: executable)
        // A build of a modified tree is told apart by its size and time: its commit does not say what it runs.
        let stamp =
            name.hasSuffix("+modified")
            ? "-\(attributes[.size] as? Int ?? 0)-\(Int((attributes[.modificationDate] as? Date ?? Date()).timeIntervalSince1970))" : ""
        let kept = directory.deletingLastPathComponent().appendingPathComponent("builds/\(name)\(stamp)/harness")
        if !FileManager.default.isExecutableFile(atPath: kept.path) {
            try FileManager.default.createDirectory(at: kept.deletingLastPathComponent(), withIntermediateDirectories: true)
            let partial = kept.path + ".partial"
            try? FileManager.default.removeItem(atPath: partial)
            try FileManager.default.copyItem(atPath: executable, toPath: partial)
            try FileManager.default.moveItem(atPath: partial, toPath: kept.path)
        }
        return kept.path
    }

    func loadState() throws -> DeployState? {
        guard let data = FileManager.default.contents(atPath: stateFile.path) else { return nil }
        do {
            return try JSONDecoder().decode(DeployState.self, from: data)
        } catch {
            throw HarnessError("\(stateFile.path) is not a deploy state file (\(error)); stop its processes by hand and remove it")
        }
    }

    func save(_ state: DeployState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: stateFile, options: .atomic)
    }
}

/// What an environment runs: HAProxy and the service instances behind it.
struct DeployState: Codable {
    var port: Int
    var haproxyPID: Int32
    var instances: [Instance]
    /// Services reached at addresses outside the environment (`--peer`).
    var external: [String: String]
}

/// One service process behind the front door; its HAProxy server is `<service>/<service>-<number>`.
struct Instance: Codable, Equatable {
    var service: String
    var number: Int
    var port: Int
    var pid: Int32
    /// The harness executable it runs: a copy kept under `<root>/builds/` (nil in a `deploy.json` written
    /// before instances recorded it: this very executable).
    var build: String?
    /// The version it reported at `GET /health` once it served (`harness deploy status` asks it again).
    var version: String?

    var name: String { "\(service)-\(number)" }
    var executable: String { build ?? Instances.currentBuild }
    var url: String { "http://127.0.0.1:\(port)" }
}
