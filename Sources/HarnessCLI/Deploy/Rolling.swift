import ArgumentParser
import Foundation
import Harness
import ServiceKit

extension Deploy {
    /// `harness deploy rolling`: each instance replaced in turn while traffic flows through the front door.
    struct Rolling: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Replace every instance with the new build, one at a time through haproxy's runtime API (drain, wait for its connections, stop gracefully, start, wait for health, put back), under load; prints requests, failures and latency."
        )

        @OptionGroup var place: Where

        @OptionGroup var candidate: CandidateBuild

        @Flag(
            help:
                "Replace each instance without draining it: killed at once while haproxy still sends it traffic. Shows what draining prevents: requests fail, and the deploy says so."
        )
        var noDrain = false

        @Option(parsing: .unconditional, help: "Concurrent clients sending traffic through the front door during the roll.")
        var workers = 8

        @Option(
            help:
                "A shell command run alongside the roll (e.g. the acceptance suites aimed at the front door); the deploy fails if it fails. Its output goes to logs/alongside.log."
        )
        var alongside: String?

        func validate() throws {
            guard (1...64).contains(workers) else { throw ValidationError("--workers must be from 1 to 64, not \(workers)") }
        }

        func run() async throws {
            let environment = try place.environment()
            guard var state = try environment.loadState() else {
                throw HarnessError("\(environment.name) is not deployed; start it with `harness deploy up --env \(environment.name)`")
            }
            let front = "http://127.0.0.1:\(state.port)"
            let build = try environment.keep(try candidate.executable())
            let rolled = state.instances.indices.filter {
                state.instances[$0].service != "processor" && candidate.places(state.instances[$0].service)
            }
            let load = LoadGenerator(workers: workers)
            let traffic = Task { try await load.run(frontDoor: front) }
            let side = try alongside.map { command in
                try Processes.spawn("/bin/sh", ["-c", command], log: environment.logs.appendingPathComponent("alongside.log"))
            }
            print(
                "harness: rolling \(candidate.service ?? "every service") of \(environment.name) at \(front) to \(build)\(noDrain ? " WITHOUT draining" : ""); \(workers) clients sending debits with idempotency keys and dashboard reads"
            )
            fflush(nil)
            try await Task.sleep(for: .seconds(1))
            let started = ContinuousClock.now
            var problem: String?
            for index in rolled {
                do {
                    state.instances[index] = try await replace(state.instances[index], in: environment, build: build)
                    try environment.save(state)
                } catch {
                    problem = "\(state.instances[index].name): \(error)"
                    break
                }
            }
            let took = ContinuousClock.now - started
            try await Task.sleep(for: .seconds(1))
            load.stop()
            if case .failure(let error) = await traffic.result { problem = problem ?? "the traffic could not start: \(error)" }
            var sideStatus: Int32?
            if let side { sideStatus = await Processes.waitForExit(side) }
            let report = load.report
            print("harness: roll took \(Instances.seconds(took)); during it: \(report.line)")
            for failure in report.failures.prefix(5) { print("  failed: \(failure)") }
            if let sideStatus {
                print(
                    "harness: alongside (\(alongside!)): " + (sideStatus == 0 ? "passed" : "FAILED with status \(sideStatus), see logs/alongside.log")
                )
            }
            fflush(nil)
            if let problem { throw HarnessError("rolling deploy of \(environment.name) failed: \(problem)") }
            guard report.failures.isEmpty else {
                throw HarnessError(
                    "rolling deploy of \(environment.name) lost requests: \(report.failures.count) of \(report.latencies.count) failed (first: \(report.failures[0]))"
                )
            }
            if let sideStatus, sideStatus != 0 {
                throw HarnessError("rolling deploy of \(environment.name): the command alongside failed (status \(sideStatus))")
            }
        }

        /// Takes one instance out, replaces its process with the new build, and puts it back.
        func replace(_ old: Instance, in environment: DeployEnvironment, build: String) async throws -> Instance {
            let started = ContinuousClock.now
            var steps: [String] = []
            if !noDrain {
                try HAProxy.set(old, "drain", socket: environment.socket)
                let deadline = ContinuousClock.now + .seconds(30)
                var sessions = try HAProxy.server(old, socket: environment.socket).sessions
                let first = sessions
                while sessions > 0 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                    sessions = try HAProxy.server(old, socket: environment.socket).sessions
                }
                guard sessions == 0 else { throw HarnessError("still had \(sessions) connections after 30 s of draining") }
                try HAProxy.set(old, "maint", socket: environment.socket)
                steps.append("drained (\(first) in flight)")
            }
            if noDrain {
                await Processes.stop(old.pid, grace: .zero)
                steps.append("killed")
            } else {
                let graceful = await Processes.stop(old.pid)
                steps.append(graceful ? "stopped" : "killed after 20 s")
            }
            var new = old
            new.build = build
            new.pid = try Instances.start(new, in: environment)
            // Back into rotation only once it answers; then haproxy's own checks bring it UP.
            new = try await Instances.waitUntilHealthy(new, in: environment)
            if !noDrain { try HAProxy.set(new, "ready", socket: environment.socket) }
            try await Instances.waitForHAProxy(new, status: "UP", in: environment)
            steps.append("started pid \(new.pid) (\(new.version ?? "unknown")), healthy, UP")
            print(
                "  \(old.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(steps.joined(separator: " · ")) in \(Instances.seconds(ContinuousClock.now - started))"
            )
            fflush(nil)
            return new
        }
    }
}
