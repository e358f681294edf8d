import Foundation
import PackagePlugin

/// Writes the commit the build is made from into the `BuildVersion` module, before every build.
///
/// A deployed process must say what it runs (`GET /health`, `harness deploy status`), and only the build
/// knows: a version passed in at start could name a commit the binary was not built from. The file is
/// rewritten only when the commit (or whether the tree is modified) changed, so a build with nothing new
/// compiles nothing.
@main
struct StampBuild: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Stamp")
        return [
            .prebuildCommand(
                displayName: "Stamping BuildVersion with the commit of \(context.package.directoryURL.path)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "stamp", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output)
        ]
    }

    /// `git rev-parse HEAD` and `git status` of the package; "unknown" outside a repository.
    static let script = #"""
        set -e
        mkdir -p "$2"
        commit=$(git -C "$1" rev-parse HEAD 2>/dev/null) || commit=unknown
        modified=false
        if [ "$commit" != unknown ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then modified=true; fi
        printf 'extension BuildVersion {\n    static let stamped = BuildVersion(commit: "%s", modified: %s)\n}\n' "$commit" "$modified" > "$2/Stamp.swift.new"
        if cmp -s "$2/Stamp.swift.new" "$2/Stamp.swift"; then rm "$2/Stamp.swift.new"; else mv "$2/Stamp.swift.new" "$2/Stamp.swift"; fi
        """#
}
