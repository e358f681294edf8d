import Foundation
import Harness
import HarnessCommands
import ServiceKit

/// Starting one service instance and knowing when it serves.
enum Instances {
    /// The build to run: this very executable, unless `--build` names another.
    static var currentBuild: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// Starts `harness serve --service …` for `instance`; its output goes to `logs/<name>.log`.
    static func start(_ instance: Instance, in environment: DeployEnvironment, build: String = currentBuild) throws -> Int32 {
        try Processes.spawn(
            build,
            [
                "serve", "--service", instance.service, "--host", "127.0.0.1", "--port", "\(instance.port)",
                "--data-dir", environment.data.path, "--peers-file", environment.peersFile.path, "--log-level", "warning",
            ], log: log(of: instance, in: environment))
    }

    static func log(of instance: Instance, in environment: DeployEnvironment) -> URL {
        environment.logs.appendingPathComponent("\(instance.name).log")
    }

    /// Waits until the instance answers its own `/health` (or says why it will not), then until HAProxy
    /// routes to it.
    static func waitUntilServing(_ instance: Instance, in environment: DeployEnvironment, timeout: Duration = .seconds(60)) async throws {
        try await waitUntilHealthy(instance, in: environment, timeout: timeout)
        try await waitForHAProxy(instance, status: "UP", in: environment)
    }

    /// Waits until the instance answers its own `/health`, or says why it will not.
    static func waitUntilHealthy(_ instance: Instance, in environment: DeployEnvironment, timeout: Duration = .seconds(60)) async throws {
        let http = HTTPTransport(baseURL: instance.url)
        let deadline = ContinuousClock.now + timeout
        while true {
            guard Processes.isAlive(instance.pid) else {
                throw HarnessError("did not start: \(Processes.reason(in: log(of: instance, in: environment)))")
            }
            if await Serve.health(of: ServiceName(instance.service), at: instance.url, through: http, timeout: .seconds(1)) == nil { break }
            guard ContinuousClock.now < deadline else { throw HarnessError("did not answer /\(instance.service)/health within \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
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
