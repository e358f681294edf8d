import ArgumentParser
import Foundation
import Harness

/// `harness shard K/N`: the `swift test --filter` pattern of one stable part of the suite.
struct Shard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Read test names (`swift test list`) on standard input and print a --filter pattern for shard K of N: tests split by a hash of their names, each in exactly one shard.",
        discussion: """
            swift test --skip-build --filter "$(swift test list --skip-build | harness shard 2/4 --only Acceptance)"
            scripts/test-shard does this with HARNESS_SHARD=K/N and writes a JUnit file per shard.
            """)

    @Argument(help: "K/N: the shard, e.g. 2/4 (default: HARNESS_SHARD).")
    var shard: String?

    @Option(help: "Only tests whose name starts with this (e.g. Acceptance, a test target).")
    var only: String?

    @Flag(help: "Print the shard's test names, one per line, instead of a pattern.")
    var list = false

    func run() throws {
        guard let text = shard ?? ProcessInfo.processInfo.environment["HARNESS_SHARD"] else {
            throw ValidationError("give the shard as K/N, or set HARNESS_SHARD")
        }
        let shard = try TestShard(parsing: text)
        var tests: [String] = []
        while let line = readLine() {
            let name = line.trimmingCharacters(in: .whitespaces)
            if name.contains("/"), !name.contains(" "), only.map(name.hasPrefix) ?? true { tests.append(name) }
        }
        guard !tests.isEmpty else { throw HarnessError("no test names on standard input; pipe `swift test list` into it") }
        let selected = shard.select(tests)
        print(list ? selected.joined(separator: "\n") : TestShard.filter(matching: selected))
    }
}
