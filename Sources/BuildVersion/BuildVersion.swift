/// The commit this binary was built from, as the build stamped it (the `StampBuild` plugin).
///
/// Each deployed instance reports it at `GET /health`, so what an environment runs is read from the
/// processes themselves, never from a file that could be stale; `harness contracts can-i-deploy` reads
/// the contracts of each service at the commit it reports.
public struct BuildVersion: Sendable, Hashable, CustomStringConvertible {
    /// The full commit id, or `unknown` for a build made outside a git repository.
    public let commit: String
    /// Whether the build's tree had changes not committed: its commit alone does not say what it runs.
    public let modified: Bool

    public init(commit: String, modified: Bool) {
        self.commit = commit
        self.modified = modified
    }

    /// This binary's.
    public static var current: BuildVersion { stamped }

    /// The first 12 characters of the commit, `+modified` when the tree had changes: `3f2c1a9be0d4+modified`.
    public var description: String { String(commit.prefix(12)) + (modified ? "+modified" : "") }
}
