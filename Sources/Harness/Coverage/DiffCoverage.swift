import Foundation
import HarnessContracts

/// Lines changed since a git revision that no test executes, per service: what a reviewer asks of a change.
public struct DiffCoverage: Sendable {
    public struct Miss: Sendable {
        public var path: String
        public var line: Int
    }

    public var since: String
    /// Changed executable lines, and those no test ran, per service or module.
    public var changed: [String: Int]
    public var missed: [String: [Miss]]

    public init(since: String, coverage: CoverageData) throws {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "diff", "-U0", "--no-color", "--no-ext-diff", since, "--", "Sources"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        try git.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        guard git.terminationStatus == 0 else { throw HarnessError("git diff \(since) failed: is \(since) a revision of this repository?") }
        self.init(since: since, diff: String(decoding: data, as: UTF8.self), coverage: coverage)
    }

    /// From a unified diff with no context (`git diff -U0`).
    public init(since: String, diff: String, coverage: CoverageData) {
        self.since = since
        var changed: [String: Int] = [:]
        var missed: [String: [Miss]] = [:]
        var path: String?
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("+++ ") {
                path = line.hasPrefix("+++ b/") ? String(line.dropFirst(6)) : nil
            } else if line.hasPrefix("@@"), let path, let file = coverage.files[path], let column = PerTestCoverage.column(of: path) {
                // @@ -a,b +c,d @@: lines c ..< c + d of the new file (d absent means 1).
                guard let added = line.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { continue }
                let numbers = added.dropFirst().split(separator: ",").compactMap { Int($0) }
                guard let start = numbers.first else { continue }
                for number in start..<(start + (numbers.count > 1 ? numbers[1] : 1)) {
                    guard let hits = file.lines[number] else { continue }
                    changed[column, default: 0] += 1
                    if hits == 0 { missed[column, default: []].append(Miss(path: path, line: number)) }
                }
            }
        }
        self.changed = changed
        self.missed = missed
    }

    public var text: String {
        var lines = ["changed since \(since): executable lines no test runs, per service:"]
        if changed.isEmpty { lines.append("  no executable line changed") }
        for column in changed.keys.sorted() {
            let misses = missed[column] ?? []
            lines.append("  \(column): \(misses.count) of \(changed[column]!) changed lines not executed")
            for (path, group) in Dictionary(grouping: misses, by: \.path).sorted(by: { $0.key < $1.key }) {
                lines.append("    \(path): \(Self.ranges(group.map(\.line)))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `3-5, 9`.
    static func ranges(_ numbers: [Int]) -> String {
        var parts: [String] = []
        var run: (Int, Int)?
        for number in numbers.sorted() {
            if let current = run, number == current.1 + 1 {
                run = (current.0, number)
                continue
            }
            if let current = run { parts.append(current.0 == current.1 ? "\(current.0)" : "\(current.0)-\(current.1)") }
            run = (number, number)
        }
        if let current = run { parts.append(current.0 == current.1 ? "\(current.0)" : "\(current.0)-\(current.1)") }
        return parts.joined(separator: ", ")
    }

    public var json: JSON {
        .object(
            Dictionary(
                uniqueKeysWithValues: changed.keys.map { column in
                    (
                        column,
                        [
                            "changed": .number(Double(changed[column]!)),
                            "not_executed": .array((missed[column] ?? []).map { ["path": .string($0.path), "line": .number(Double($0.line))] }),
                        ]
                    )
                }))
    }
}
