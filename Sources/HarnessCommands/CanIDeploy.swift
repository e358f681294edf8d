import ArgumentParser
import Foundation
import Harness
import NIOCore

extension Contracts {
    /// `contracts can-i-deploy`: whether this build of one service can join what an environment runs.
    struct CanIDeploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "can-i-deploy",
            abstract:
                "Whether this build of a service can be deployed beside the versions an environment runs: as a provider, against the contracts of every consumer there, read at its deployed commit; as a consumer, against the documents of the providers there. Exit 0 yes, 1 no, 2 cannot tell.",
            discussion: """
                The versions come from each instance's GET /health (the environment's deploy.json says where they \
                are), or from --deployed. A deployed commit's files are read with `git show COMMIT:<path>`, so run \
                it in the repository. Nothing is deployed or started but this build's services, in memory, for \
                their documents.
                """)

        @Argument(help: "The service to release, e.g. fraud.") var service: String

        @Option(help: "The environment it would join, e.g. production.") var to: String

        @Option(help: "The directory environments live in (as `deploy` was given it).")
        var root = "harness-deploy"

        @Option(
            name: .customLong("deployed"),
            help: "SERVICE=COMMIT: a version the environment runs, instead of asking it (repeatable; a service named twice runs both).")
        var deployed: [String] = []

        @Option(help: "This build's contract files, and where they are at a deployed commit.")
        var directory = "contracts"

        @Option(help: "Where a deployed commit keeps each service's OpenAPI document (<service>.json).")
        var documents = "openapi"

        func run() async throws {
            let tool = HarnessTool.current
            let candidate = ServiceName(service)
            guard tool.system.names.contains(candidate) else {
                throw ValidationError("no service \(service) in this system; services: \(tool.system.names.map(\.rawValue).joined(separator: ", "))")
            }
            let versions: [ServiceName: Set<String>]
            do {
                versions = try await self.versions(tool)
            } catch let error as CannotTell {
                print("can-i-deploy \(service) to \(to): cannot tell: \(error.reason)")
                throw ExitCode(2)
            }
            let answer = try Self.check(candidate, versions: versions, directory: directory, documents: documents, system: tool.system)
            print(answer.report(candidate, environment: to))
            if answer.cannotTell != nil { throw ExitCode(2) }
            if answer.findings.contains(where: \.finding.breaking) { throw ExitCode(1) }
        }

        /// The commits each service runs in the environment: `--deployed`, else what its instances report.
        func versions(_ tool: HarnessTool) async throws -> [ServiceName: Set<String>] {
            let given = try Git.commits(deployed, option: "--deployed", of: Set(tool.system.names), "one of the system's services")
            guard given.isEmpty else { return given }
            guard let environments = tool.environments else {
                throw ValidationError("\(tool.name) cannot ask an environment what it runs: name the versions with --deployed SERVICE=COMMIT")
            }
            do {
                return try await environments(to, root)
            } catch let error as ValidationError {
                throw error
            } catch {
                throw CannotTell(reason: "\(error)")
            }
        }

        /// One pair checked: who read what of whom, at which versions, and what would change.
        struct Pair {
            var consumer: String
            var provider: String
            var routes: Int
            var fields: Int
        }

        struct Answer {
            var pairs: [Pair] = []
            var findings: [(consumer: String, provider: String, finding: ReleaseFinding)] = []
            var cannotTell: String?

            func report(_ service: ServiceName, environment: String) -> String {
                if let cannotTell { return "can-i-deploy \(service) to \(environment): cannot tell: \(cannotTell)" }
                let breaking = findings.filter(\.finding.breaking)
                let version = HarnessTool.current.version.map { " at \($0)" } ?? ""
                var lines = ["can-i-deploy \(service)\(version) to \(environment): \(breaking.isEmpty ? "yes" : "no")"]
                for (consumer, provider, finding) in breaking {
                    lines.append("  ✗ \(consumer) reads \(provider) \(finding)")
                }
                for (consumer, provider, finding) in findings where !finding.breaking {
                    lines.append("  ! \(consumer) reads \(provider) \(finding) (it reads the field only when present: no break)")
                }
                lines.append("  checked \(pairs.count) pair\(pairs.count == 1 ? "" : "s"):")
                for pair in pairs {
                    lines.append("    \(pair.consumer) → \(pair.provider): \(pair.routes) routes, \(pair.fields) fields read")
                }
                if pairs.isEmpty { lines.append("    none: no consumer there reads \(service), and it reads no provider there") }
                return lines.joined(separator: "\n")
            }
        }

        /// `service` as a provider against each consumer's contract at every commit it runs, and as a
        /// consumer (its contracts in `directory`) against each provider's document at every commit it runs.
        static func check(
            _ service: ServiceName, versions: [ServiceName: Set<String>], directory: String, documents: String, system: SystemUnderTest
        ) throws -> Answer {
            var answer = Answer()
            let own = try SystemCatalog(system).documents
            let this = "\(service) at \(HarnessTool.current.version ?? "this build") (the candidate)"
            func label(_ name: ServiceName, _ commit: String) -> String { "\(name) at \(commit.prefix(12))" }
            do {
                for consumer in versions.keys.sorted(by: { $0.rawValue < $1.rawValue }) where consumer != service {
                    for commit in versions[consumer]!.sorted() {
                        guard let text = try Git.show(commit, "\(consumer)-\(service).json", in: directory) else { continue }
                        let contract = try Contract(json: try JSON(parsing: ByteBuffer(string: text)))
                        guard let candidate = own[service] else { throw HarnessError("this build's \(service) has no OpenAPI document") }
                        // What the consumer was built against: the provider's document where the provider runs, else
                        // as the consumer's own commit kept it.
                        let deployed = (versions[service] ?? []).sorted()
                        let tested = try (deployed.isEmpty ? [commit] : deployed).map { try document(of: service, at: $0, documents) }
                        for before in tested {
                            for finding in ReleaseFinding.findings(contract, tested: before, meets: candidate) {
                                answer.findings.append((label(consumer, commit), "\(service)", finding))
                            }
                        }
                        answer.pairs.append(Pair(consumer: label(consumer, commit), provider: this, contract: contract))
                    }
                }
                let book = try Contracts.load(directory)
                for contract in book.contracts where contract.consumer == service {
                    for commit in (versions[contract.provider] ?? []).sorted() {
                        guard let tested = own[contract.provider] else { continue }
                        let meets = try document(of: contract.provider, at: commit, documents)
                        for finding in ReleaseFinding.findings(contract, tested: tested, meets: meets) {
                            answer.findings.append((this, label(contract.provider, commit), finding))
                        }
                        answer.pairs.append(Pair(consumer: this, provider: label(contract.provider, commit), contract: contract))
                    }
                }
            } catch let error as CannotTell {
                answer.cannotTell = error.reason
            }
            return answer
        }

        /// A provider's document as `commit` kept it.
        static func document(of service: ServiceName, at commit: String, _ documents: String) throws -> APIDocument {
            guard let text = try Git.show(commit, "\(service).json", in: documents) else {
                throw CannotTell(reason: "\(service) at \(commit.prefix(12)) keeps no \(documents)/\(service).json to check against")
            }
            do {
                return try APIDocument(parsing: try JSON(parsing: ByteBuffer(string: text)))
            } catch {
                throw CannotTell(reason: "\(documents)/\(service).json at \(commit.prefix(12)) is not an OpenAPI document: \(error)")
            }
        }
    }

}

/// Why a question about a commit has no answer: the commit or its file cannot be read.
package struct CannotTell: Error, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}

/// Files as a commit kept them.
package enum Git {
    /// `SERVICE=COMMIT` entries of a repeatable option, by service (a service named twice runs both); a
    /// service not in `known` is refused, in the words of `what`.
    package static func commits(_ entries: [String], option: String, of known: Set<ServiceName>, _ what: String) throws -> [ServiceName: Set<String>]
    {
        var commits: [ServiceName: Set<String>] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, known.contains(ServiceName(parts[0])), !parts[1].isEmpty else {
                throw ValidationError("\(option) \(entry): expected SERVICE=COMMIT with SERVICE \(what)")
            }
            commits[ServiceName(parts[0]), default: []].insert(parts[1])
        }
        return commits
    }

    /// `directory/name` at `commit` (`+modified` dropped), or nil when the commit has no such file; the
    /// commit must exist.
    package static func show(_ commit: String, _ name: String, in directory: String) throws -> String? {
        let id = commit.split(separator: "+").first.map(String.init) ?? commit
        let known = try Toolchain.run("/usr/bin/env", ["git", "-C", directory, "cat-file", "-e", "\(id)^{commit}"])
        guard known.status == 0 else {
            throw CannotTell(
                reason: "commit \(id.prefix(12)) is not in the repository of \(directory) (fetch it, or check out the repository that built it)")
        }
        let file = try Toolchain.run("/usr/bin/env", ["git", "-C", directory, "show", "\(id):./\(name)"])
        return file.status == 0 ? file.output : nil
    }
}

extension Contracts.CanIDeploy.Pair {
    init(consumer: String, provider: String, contract: Contract) {
        self.init(
            consumer: consumer, provider: provider, routes: contract.interactions.count,
            fields: contract.interactions.map(\.fields.count).reduce(0, +))
    }
}
