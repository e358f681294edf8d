import Foundation
import GRDB
import ServiceKit

/// A money-moving request made with an `Idempotency-Key`, and its response once there is one.
///
/// The request itself is never kept: a charge may carry a card number and a security code, which live
/// only in vault. What is kept is enough to tell a retry from another request — a keyed HMAC of each
/// field (`RequestFingerprint`) — and the field names, for a human reading the table.
struct IdempotentRequest: Codable, Sendable {
    var tenantId: String
    var key: String
    /// Method and path of the first request.
    var route: String
    /// The first request's field names, without values: what a person looking at the key is shown.
    var summary: String
    /// JSON object of field path to HMAC; nil for a key stored before requests were fingerprinted.
    var fields: String?
    /// Who holds the key while its request runs: a request checks it is still the holder in the
    /// transaction that stores its answer, so a claim taken over after a crash never answers twice.
    var holder: String
    var status: Int?
    var response: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case key, route, fields, holder, status, response
        case tenantId = "tenant_id"
        case createdAt = "created_at"
        case summary = "request"
    }

    static let databaseTableName = "idempotent_request"

    /// How long a claim without an answer is left to its holder before a retry may take it over: the
    /// holder has crashed, or runs longer than any of its peers' timeouts allow.
    static let lease: TimeInterval = 5

    /// Claims the key for this request, or returns who claimed it first. A claim without an answer,
    /// older than the lease and not running in this process (`isRunningHere`), is taken over.
    static func claim(_ claim: IdempotentRequest, isRunningHere: Bool, in db: Database) throws -> IdempotentRequest? {
        guard let existing = try fetchOne(db, key: ["tenant_id": claim.tenantId, "key": claim.key]) else {
            try claim.insert(db)
            return nil
        }
        let abandoned =
            existing.status == nil && !isRunningHere
            && existing.createdAt.addingTimeInterval(lease) < claim.createdAt && existing.matches(claim)
        guard abandoned else { return existing }
        try claim.update(db)
        return nil
    }

    /// Whether `other` is the same request: same route, and the same fields with the same values.
    /// A key stored before fingerprints compares by route alone.
    func matches(_ other: IdempotentRequest) -> Bool {
        route == other.route && (fields == nil || differingFields(other).isEmpty)
    }

    /// The fields whose values differ between the two requests, or that only one of them has.
    func differingFields(_ other: IdempotentRequest) -> [String] {
        let mine = Self.decodeFields(fields)
        let theirs = Self.decodeFields(other.fields)
        return Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
    }

    static func decodeFields(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }

    /// Stores the answer of the request holding the key, in the caller's transaction; false when the
    /// key is no longer this holder's (taken over), so the caller's writes must not commit.
    static func answer(tenantId: String, key: String, holder: String, with reply: Reply, in db: Database) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE idempotent_request SET status = ?, response = ? WHERE tenant_id = ? AND key = ? AND holder = ? AND status IS NULL
                """, arguments: [reply.status.code, String(buffer: reply.body.encoded()), tenantId, key, holder])
        return db.changesCount == 1
    }

    /// Gives the key up after a server failure, so the request can be retried; only its holder may.
    static func release(tenantId: String, key: String, holder: String, in db: Database) throws {
        try db.execute(
            sql: "DELETE FROM idempotent_request WHERE tenant_id = ? AND key = ? AND holder = ? AND status IS NULL",
            arguments: [tenantId, key, holder])
    }
}

extension IdempotentRequest: ServiceRecord, PersistableRecord {}
