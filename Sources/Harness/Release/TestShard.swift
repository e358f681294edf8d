import HarnessContracts

/// One of `count` stable parts of a test suite, for spreading it over CI agents.
///
/// A test belongs to the shard its name hashes to (FNV-1a, the same on every machine and every run), so
/// each test runs exactly once across the shards, and adding a test moves no other. `HARNESS_SHARD=2/4`
/// names the second of four.
public struct TestShard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Parses `K/N`, with 1 ≤ K ≤ N.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw HarnessError("shard \"\(text)\" is not K/N with 1 ≤ K ≤ N, e.g. 2/4")
        }
        (self.index, self.count) = (index, count)
    }

    public func contains(_ test: String) -> Bool {
        Int(StableHash.fnv1a(test) % UInt64(count)) == index - 1
    }

    /// The tests of this shard, in the order given.
    public func select(_ tests: [String]) -> [String] { tests.filter(contains) }

    /// A `swift test --filter` pattern matching exactly `tests` (each a test's full name).
    public static func filter(matching tests: [String]) -> String {
        guard !tests.isEmpty else { return "^$" }
        // Swift Testing matches the pattern against the test's id, which may go on after its name (`/file:line`).
        return "^(" + tests.map(escaped).joined(separator: "|") + ")(/.*)?$"
    }

    static func escaped(_ name: String) -> String {
        var out = ""
        for character in name {
            if "\\^$.|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    public var description: String { "\(index)/\(count)" }
}
