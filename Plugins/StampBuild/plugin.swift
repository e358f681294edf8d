import Foundation
import PackagePlugin

/// Writes the commit the build is made from into the `BuildVersion` module.
///
/// A deployed process must say what it runs (`GET /health`, `harness deploy status`), and only the build
/// knows: a version passed in at start could name a commit the binary was not built from. The stamp runs
/// whenever the checkout moves (git's `HEAD` or index) or a source file changes, and rewrites its file
/// only when the commit, or whether the tree is modified, changed: a build with nothing new compiles
/// nothing.
@main
struct StampBuild: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "Stamp.swift")
        let sources = context.package.targets.compactMap { $0 as? any SourceModuleTarget }.flatMap { $0.sourceFiles.map(\.url) }
        return [
            .buildCommand(
                displayName: "Stamping BuildVersion with the commit of \(package.path)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "stamp", package.path, output.path],
                inputFiles: [package.appending(path: "Package.swift")] + Self.gitState(of: package) + sources,
                outputFiles: [output])
        ]
    }

    /// Git's `HEAD`, the branch it names, the packed refs and the index, for the package's checkout (a
    /// worktree's `.git` is a file naming its own): a commit, an amend, a reset or a checkout changes one.
    static func gitState(of package: URL) -> [URL] {
        let dotGit = package.appending(path: ".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return [] }
        var directory = dotGit
        if !isDirectory.boolValue {
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8), let line = text.split(separator: "\n").first,
                line.hasPrefix("gitdir: ")
            else { return [] }
            let path = String(line.dropFirst("gitdir: ".count))
            directory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appending(path: path)
        }
        var files = ["HEAD", "index"].map { directory.appending(path: $0) }
        // A worktree keeps its HEAD and index in its own directory, and its refs in the repository's.
        let common =
            (try? String(contentsOf: directory.appending(path: "commondir"), encoding: .utf8))
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : directory.appending(path: $0) } ?? directory
        files.append(common.appending(path: "packed-refs"))
        if let head = try? String(contentsOf: directory.appending(path: "HEAD"), encoding: .utf8), head.hasPrefix("ref: ") {
            files.append(common.appending(path: head.dropFirst("ref: ".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// `git rev-parse HEAD` and `git status` of the package, "unknown" outside a repository; status does
    /// not refresh the index, which would make the next build stamp again.
    static let script = #"""
        set -e
        mkdir -p "$(dirname "$2")"
        commit=$(git -C "$1" rev-parse HEAD 2>/dev/null) || commit=unknown
        modified=false
        if [ "$commit" != unknown ] && [ -n "$(git --no-optional-locks -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then modified=true; fi
        printf 'extension BuildVersion {\n    static let stamped = BuildVersion(commit: "%s", modified: %s)\n}\n' "$commit" "$modified" > "$2.new"
        if cmp -s "$2.new" "$2"; then rm "$2.new"; else mv "$2.new" "$2"; fi
        """#
}
