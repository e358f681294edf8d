import Foundation
import GRDB
import HarnessContracts
import HarnessCore
import NIOCore
import Synchronization

/// The SQL each service's database ran in a recording run: what a build needs of its schema.
///
/// `harness contracts record` writes one file per service, `contracts/statements/<service>.sql`, checked
/// in beside the contracts. A rolling deploy runs the old build on the new build's schema, so a migration
/// rehearsal reads the statements of the build production runs (at its commit) and refuses a migration
/// that drops or renames a column one of them uses: the schema is compared, not the SQL's text.
final class StatementLog: Sendable {
    private let seen = Mutex<[ServiceName: Set<String>]>([:])

    /// The service whose request is being answered. A test's own reads of a service's database are not
    /// the service's statements: only those run while the service answers, on the request's own thread
    /// (as an in-memory database is read and written), are noted.
    @TaskLocal static var serving: ServiceName?

    /// Notes every statement the service's code runs on `database` from now on.
    func watch(_ service: ServiceName, _ database: any DatabaseWriter) throws {
        try database.writeWithoutTransaction { db in
            db.trace(options: .statement) { [weak self] event in
                guard Self.serving == service, case .statement(let statement) = event, let sql = Self.kept(statement.sql) else { return }
                self?.seen.withLock { _ = $0[service, default: []].insert(sql) }
            }
        }
    }

    /// A statement the service's code runs, on one line; nil for the database's own bookkeeping
    /// (transactions, pragmas, migrations).
    static func kept(_ sql: String) -> String? {
        let line = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let verb = line.prefix { $0.isLetter }.uppercased()
        guard ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"].contains(verb),
            !line.contains("grdb_migrations"), !line.contains("sqlite_")
        else { return nil }
        return line
    }

    /// The lines a recording file gets: one per service, `{"statements": {"service": …, "sql": […]}}`.
    var lines: String {
        seen.withLock { $0 }.sorted { $0.key.rawValue < $1.key.rawValue }.map { service, statements in
            let entry: JSON = ["statements": ["service": .string(service.rawValue), "sql": .array(statements.sorted().map(JSON.string))]]
            return String(buffer: entry.encoded()) + "\n"
        }.joined()
    }
}

/// The statements of a system's services, by service: as a recording run collected them, or as
/// `contracts/statements/` keeps them.
public struct StatementCatalogue: Sendable, Equatable {
    public var statements: [ServiceName: [String]]

    public init(_ statements: [ServiceName: [String]]) { self.statements = statements }

    /// The statements a recording file holds, merged over every stack of the run.
    public static func read(recording path: String) throws -> StatementCatalogue {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return StatementCatalogue([:]) }
        var merged: [ServiceName: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("{\"statements\"") {
            let entry = try JSON(parsing: ByteBuffer(string: String(line)))["statements"]
            guard let service = entry["service"].string else { continue }
            merged[ServiceName(service), default: []].formUnion(entry["sql"].array?.compactMap(\.string) ?? [])
        }
        return StatementCatalogue(merged.mapValues { $0.sorted() })
    }

    /// One file's statements: a statement a line.
    public static func parse(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("--") }
    }

    /// Writes `<directory>/<service>.sql` for each service, and removes those of services that ran none.
    public func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = Set(statements.keys.map { "\($0).sql" })
        for stale in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where stale.hasSuffix(".sql") && !names.contains(stale) {
            try FileManager.default.removeItem(atPath: "\(directory)/\(stale)")
        }
        for (service, sql) in statements {
            let header = "-- The statements \(service)'s code ran in the acceptance run (harness contracts record), one a line.\n"
            try (header + sql.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(service).sql", atomically: true, encoding: .utf8)
        }
        return names.sorted()
    }
}

/// A service whose answers run with ``StatementLog/serving`` bound: how a recording stack hosts each one.
struct StatementScoped: StackService {
    let base: any StackService

    var name: ServiceName { base.name }
    var routes: [Route] { base.routes }
    var consumes: [PeerRoute] { base.consumes }
    var access: ServiceAccess { base.access }
    var document: APIDocument? { base.document }
    var database: (any DatabaseWriter)? { base.database }
    var background: (@Sendable () async throws -> Void)? { base.background }

    func respond(to request: ServiceRequest) async throws -> ServiceResponse {
        try await StatementLog.$serving.withValue(base.name) { try await base.respond(to: request) }
    }
}
