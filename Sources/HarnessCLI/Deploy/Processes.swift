import Foundation
import Harness

/// The processes a deploy starts and stops: service instances that outlive the `harness deploy` that
/// started them, and short commands whose output it reads.
enum Processes {
    /// Runs `executable` to its end; its exit status and its output (standard output and error).
    ///
    /// The output goes through a file, not a pipe: a daemon it forks (`haproxy -D`) keeps its
    /// descriptors, and a pipe would never reach its end.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let pid = try spawn(executable, arguments, log: log)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (exitCode(status), (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Starts `executable` in the background, its output appended to `log`, its input /dev/null; its pid.
    ///
    /// `posix_spawn` itself rather than Foundation's `Process`, whose own monitoring of its children
    /// would reap them behind `waitpid`.
    static func spawn(_ executable: String, _ arguments: [String], log: URL) throws -> Int32 {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw HarnessError("cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Waits for a child to exit; its exit status (128 + the signal when a signal ended it).
    static func waitForExit(_ pid: Int32) async -> Int32 {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return exitCode(status) }
            if result < 0 && errno != EINTR { return -1 }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A `waitpid` status as a shell shows it: the exit code, or 128 + the signal that ended it.
    static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Whether `pid` is a live process (a zombie is not).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return true }
        return state != "Z"
    }

    /// Sends SIGTERM (a graceful shutdown: in-flight requests finish) and waits; SIGKILL after `grace`.
    /// Returns false when it had to be killed.
    @discardableResult
    static func stop(_ pid: Int32, grace: Duration = .seconds(20)) async -> Bool {
        guard isAlive(pid) else { return true }
        kill(pid, grace == .zero ? SIGKILL : SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if !isAlive(pid) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGKILL)
        while isAlive(pid) { try? await Task.sleep(for: .milliseconds(20)) }
        return false
    }

    /// The last line of `log` that says why a process failed (`harness: error: …`), or its last line.
    static func reason(in log: URL) -> String { reason(in: (try? String(contentsOf: log, encoding: .utf8)) ?? "") }

    /// The last line of a process's output that says why it failed, or its last line.
    static func reason(in output: String) -> String {
        let lines = output.split(separator: "\n").map(String.init)
        let line = lines.last { $0.hasPrefix("harness: error: ") } ?? lines.last ?? "it exited without a word"
        return line.hasPrefix("harness: error: ") ? String(line.dropFirst("harness: error: ".count)) : line
    }
}
