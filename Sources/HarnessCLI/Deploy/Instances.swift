import Foundation
import HTTPTypes
import Harness
import HarnessCommands
import ServiceKit

/// Starting one service instance and knowing when it serves.
enum Instances {
    /// The build to run: this very executable, unless `--build` names another.
    static var currentBuild: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// Starts `harness serve --service …` for `instance` from its build; its output goes to `logs/<name>.log`.
    static func start(_ instance: Instance, in environment: DeployEnvironment) throws -> Int32 {
        try Processes.spawn(
            instance.executable,
            [
                "serve", "--service", instance.service, "--host", "127.0.0.1", "--port", "\(instance.port)",
                "--data-dir", environment.data.path, "--peers-file", environment.peersFile.path, "--log-level", "warning",
            ], log: log(of: instance, in: environment))
    }

    static func log(of instance: Instance, in environment: DeployEnvironment) -> URL {
        environment.logs.appendingPathComponent("\(instance.name).log")
    }

    /// Waits until the instance answers its own `/health` (or says why it will not), then until HAProxy
    /// routes to it; the instance with the version it reported.
    static func waitUntilServing(_ instance: Instance, in environment: DeployEnvironment, timeout: Duration = .seconds(60)) async throws -> Instance {
        let healthy = try await waitUntilHealthy(instance, in: environment, timeout: timeout)
        try await waitForHAProxy(instance, status: "UP", in: environment)
        return healthy
    }

    /// Waits until the instance answers its own `/health`, or says why it will not; the instance with the
    /// version it reported.
    static func waitUntilHealthy(_ instance: Instance, in environment: DeployEnvironment, timeout: Duration = .seconds(60)) async throws -> Instance {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard Processes.isAlive(instance.pid) else {
                throw HarnessError("did not start: \(Processes.reason(in: log(of: instance, in: environment)))")
            }
            if let health = await health(of: instance), health["status"].string == "ok" {
                var healthy = instance
                healthy.version = health["version"].string ?? "unknown"
                return healthy
            }
            guard ContinuousClock.now < deadline else { throw HarnessError("did not answer /\(instance.service)/health within \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// What the instance answers at its own `/<service>/health`, or nil when it does not answer with JSON.
    static func health(of instance: Instance, timeout: Duration = .seconds(1)) async -> JSON? {
        let head = HTTPRequest(method: .get, scheme: "http", authority: instance.service, path: "/health")
        var request = ServiceRequest(caller: nil, callee: ServiceName(instance.service), head: head, body: nil)
        request.timeout = timeout
        return try? await HTTPTransport(baseURL: instance.url).send(request).json
    }

    /// Waits until HAProxy's `show stat` reports the server in `status`.
    static func waitForHAProxy(
        _ instance: Instance, status: String, in environment: DeployEnvironment,
        timeout: Duration = .seconds(30)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try HAProxy.server(instance, socket: environment.socket).status
            if last == status { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("haproxy still reports \(instance.name) \(last), not \(status), after \(timeout)")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", duration.microseconds / 1_000_000)
    }
}
