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
        let status = exitStatus(pid)
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Starts `executable` in the background, its output appended to `log`; returns its pid.
    static func spawn(_ executable: String, _ arguments: [String], log: URL) throws -> Int32 {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: log.path) else { throw HarnessError("cannot write \(log.path)") }
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try handle.close()
        return process.processIdentifier
    }

    /// Whether `pid` is a live process (a zombie is not).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let state = stat.split(separator: ")").last?.split(separator: " ").first else { return true }
        if state == "Z" { reap(pid) }
        return state != "Z"
    }

    /// The exit status of an exited child, or -1 when it is not ours to collect.
    static func exitStatus(_ pid: Int32) -> Int32 {
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { return -1 }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Collects an exited child so it does not linger as a zombie.
    static func reap(_ pid: Int32) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
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
    static func reason(in log: URL) -> String {
        let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        let line = lines.last { $0.hasPrefix("harness: error: ") } ?? lines.last ?? "it exited without a word"
        return line.hasPrefix("harness: error: ") ? String(line.dropFirst("harness: error: ".count)) : line
    }
}
