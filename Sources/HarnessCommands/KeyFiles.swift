import ArgumentParser
import Foundation
import Harness

/// The key a served stack's services sign their calls with, kept beside their data.
package struct DataKeys {
    package let directory: URL

    package init(directory: URL) { self.directory = directory }

    /// The key the services sign their calls to each other with, and the one before it during a rotation.
    var identity: KeyFile {
        KeyFile(url: directory.appendingPathComponent("service-identity.key"), needed: "the services sign their calls with it")
    }
    var previousIdentity: KeyFile {
        KeyFile(url: directory.appendingPathComponent("service-identity.previous.key"), needed: "the previous signing key")
    }

    /// The services' databases in the directory (`<service>.sqlite`).
    var databases: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".sqlite") } ?? []
    }

    /// Whether a stack was served from this directory: it holds the signing key or a service's database.
    var holdsDeployment: Bool {
        FileManager.default.fileExists(atPath: identity.url.path) || !databases.isEmpty
    }

    /// The services' identity: made on a first serve (no databases yet); refused when databases exist
    /// but the key does not, since something removed it.
    package func serviceIdentity() throws -> ServiceIdentity {
        let previous = try previousIdentity.load()
        if let key = try identity.load() { return ServiceIdentity(key: key, previous: previous) }
        guard databases.isEmpty else {
            throw HarnessError(
                "startup check failed: \(identity.url.path) is missing; restore it, or make a new one with "
                    + "`\(HarnessTool.current.name) identity rotate --data-dir \(directory.path)`")
        }
        return ServiceIdentity(key: try identity.create())
    }
}

/// `harness identity`: the key served services sign their calls to each other with.
struct Identity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the key served services sign their calls to each other with, and list who may call what.",
        subcommands: [Rotate.self, Access.self])

    /// `harness identity access`: each internal service's access list, as the services declare it.
    ///
    /// The documentation's trust table is this command's output, so it cannot go stale beside the code.
    struct Access: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each internal service's routes and the services that may call each (`ServiceApp.access`), and the public services.")

        func run() throws {
            print(try Self.listing(SystemCatalog(HarnessTool.current.system)).joined(separator: "\n"))
        }

        /// One block per internal service, its routes in the order its access list names them; then the
        /// services that authenticate their own callers.
        static func listing(_ catalog: SystemCatalog) -> [String] {
            var lines: [String] = []
            var open: [String] = []
            for (service, access) in catalog.access.sorted(by: { $0.key < $1.key }) {
                guard case .internalOnly(let routes) = access else {
                    open.append(service.rawValue)
                    continue
                }
                lines.append("\(service) (internal: only the callers named, with a verified credential)")
                let width = routes.map(\.route.description.count).max() ?? 0
                for route in routes {
                    lines.append(
                        "  \(route.route.description.padding(toLength: width, withPad: " ", startingAt: 0))  \(route.callers.map(\.rawValue).sorted().joined(separator: ", "))"
                    )
                }
            }
            lines.append("public, authenticating their own callers: \(open.joined(separator: ", "))")
            lines.append("open on the internal services too: GET /health, GET /openapi.json")
            return lines
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new signing key; the current one stays accepted until the next rotation. Restart the services to use it.")

        @Option(help: "The served stack's data directory.")
        var dataDir = "harness-data"

        func run() throws {
            let keys = DataKeys(directory: URL(fileURLWithPath: dataDir, isDirectory: true).standardizedFileURL)
            // A mistyped directory would otherwise get a key of its own, and the services would go on
            // signing with the old one.
            guard keys.holdsDeployment else {
                throw HarnessError(
                    "--data-dir \(keys.directory.path) holds no served stack (no service-identity.key, no service database); "
                        + "name the data directory of the stack whose key to rotate")
            }
            let current = try keys.identity.load()
            if let current { try keys.previousIdentity.write(current) }
            _ = try keys.identity.create()
            print(
                "\(HarnessTool.current.name): new signing key in \(keys.identity.url.path)"
                    + (current == nil ? "" : "; the one it replaces is still accepted") + "; restart the services to sign with the new one")
        }
    }
}
