import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// What every payments controller works with: the domain (`charging`), the database, the caller's
/// identity, the clock, and the routes all resources share (show, list, update).
struct API: Sendable {
    let charging: Charging
    let auth: Auth
    /// What an idempotent request is recognised by, never the request itself.
    let fingerprint: RequestFingerprint
    /// How a duplicate waits between looks at a key another process holds (`PaymentsService.waitToPoll`).
    let waitToPoll: @Sendable () async throws -> Void
    /// Idempotency keys whose first request this process is still running.
    let running: RunningKeys

    var database: ServiceDatabase { charging.database }
    var clock: @Sendable () -> Date { charging.clock }

    func show<R: Resource>(_ type: R.Type, _ id: String, tenant: String) async throws -> Response {
        .json(try await database.read { try R.find(id, tenant: tenant, in: $0) }.envelope)
    }

    /// A page of `R` matching `filter` and the request's own filters (`ListQuery`), newest first unless it sorts.
    func list<R: Resource>(_ type: R.Type, _ request: Request, filter: SQLExpression) async throws -> Response {
        try await list(R.self, request, filter: filter, query: try ListQuery(request, on: R.plural))
    }

    private func list<R: Resource>(_ type: R.Type, _ request: Request, filter: SQLExpression, query: ListQuery) async throws -> Response {
        let filter = filter && query.filter
        let ordering = query.ordering + [R.createdAtColumn.desc, Column.rowID.desc]
        return try await page(R.self, request, query: query) { db, limit, offset in
            let items = try R.filter(filter).order(ordering).limit(limit, offset: offset).fetchAll(db)
            return (items, try R.filter(filter).fetchCount(db))
        }
    }

    /// A page of the rows `tenant` owns, newest first, with the total from `counter` (kept on insert,
    /// so counting never scans). The statement is compiled once per connection: the dashboard reads
    /// this page on every summary.
    func list<R: Resource>(own type: R.Type, _ request: Request, tenant: String, counter: String) async throws -> Response {
        let query = try ListQuery(request, on: R.plural)
        guard query.isPlain else { return try await list(R.self, request, filter: R.visible(to: tenant), query: query) }
        return try await page(R.self, request, query: query) { db, limit, offset in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT * FROM \(R.databaseTableName) WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?
                    """)
            return (try R.fetchAll(statement, arguments: [tenant, limit, offset]), try CollectionTotal.total(counter, in: db))
        }
    }

    private func page<R: Resource>(
        _ type: R.Type, _ request: Request, query: ListQuery,
        fetch: @escaping @Sendable (Database, Int, Int) throws -> ([R], Int)
    ) async throws -> Response {
        let limit = try request.queryInt("limit", default: 10, in: ListQuery.limits)
        let offset = try request.queryInt("offset", default: 0, in: ListQuery.offsets)
        let (items, total) = try await database.read { try fetch($0, limit, offset) }
        return .json(
            Envelope.page(
                R.plural, items.map(\.json), links: R.links, path: query.path(request.uri.path),
                limit: limit, offset: offset, total: total))
    }

    /// `GET`, `PUT` (merge the given fields) and `PATCH` (RFC 6902 on the envelope, then merge) of
    /// `/<plural>/{id}`. `check` validates the merged resource before it is saved; `refresh` lets
    /// a resource consult a peer after a change (customers ask fraud to underwrite).
    /// `act` runs first, with the fields given: for a field that asks for an action (`is_void`).
    func addReadAndUpdate<R: Resource>(
        _ type: R.Type, to router: Router<ServiceRequestContext>, read: Bool = true,
        check: @escaping @Sendable (R, String, Database) throws -> Void = { _, _, _ in },
        act: @escaping @Sendable (R, [String: JSON], String) async throws -> R = { resource, _, _ in resource },
        refresh: @escaping @Sendable (R, String) async throws -> R = { resource, _ in resource }
    ) {
        let path = RouterPath("/\(R.plural)/{id}")
        if read {
            router.get(path) { request, context in
                try await show(R.self, try context.parameters.require("id"), tenant: try await auth.tenant(request))
            }
        }
        for method in [HTTPRequest.Method.put, .patch] {
            router.on(path, method: method) { request, context in
                let tenant = try await auth.tenant(request)
                let id = try context.parameters.require("id")
                var resource = try await database.read { try R.find(id, tenant: tenant, in: $0) }
                if method == .patch {
                    let original = resource.envelope
                    let patched = try JSONPatch.apply(try await request.json(context: context), to: original)
                    guard let fields = patched[R.plural][0].object else {
                        throw JSONPatch.conflict("The patch removed the \(R.plural) resource itself.")
                    }
                    // Only what the patch changed: the envelope shows masked fields (`ssn_last4: xxxx`)
                    // that must not be read back as the client's input.
                    let before = original[R.plural][0].object ?? [:]
                    var changed = fields.filter { before[$0.key] != $0.value }
                    for key in before.keys where fields[key] == nil { changed[key] = .null }
                    resource = try await act(resource, changed, tenant)
                    do {
                        try resource.merge(changed)
                    } catch let error as ServiceError {
                        throw JSONPatch.conflict("The patched resource cannot be saved: \(error.detail)", extras: error.extras)
                    }
                } else {
                    let fields = try await request.fields(R.plural, context: context)
                    resource = try await act(resource, fields, tenant)
                    try resource.merge(fields)
                }
                resource.updatedAt = clock()
                resource = try await refresh(resource, tenant)
                let saved = resource
                try await database.write { db in
                    try check(saved, tenant, db)
                    try saved.update(db)
                }
                return Response.json(saved.envelope)
            }
        }
    }

    /// `GET <path>`: the caller's `R` that `filter` selects, given the marketplace and the path's `{id}`.
    func addList<R: Resource>(
        _ type: R.Type, _ path: String, to router: Router<ServiceRequestContext>,
        filter: @escaping @Sendable (_ tenant: String, _ id: String?) -> SQLExpression
    ) {
        router.get(RouterPath(path)) { request, context in
            let tenant = try await auth.tenant(request)
            return try await list(R.self, request, filter: R.visible(to: tenant) && filter(tenant, context.parameters.get("id")))
        }
    }

    /// `POST <path>` that moves money: authenticated, read as `plural`'s fields, run once per
    /// Idempotency-Key, answered 201 with the resource `work` made.
    func addMoneyMovement<R: Resource>(
        _ path: String, plural: String, to router: Router<ServiceRequestContext>,
        _ work: @escaping @Sendable (_ tenant: String, _ fields: [String: JSON], _ id: String) async throws -> R
    ) {
        router.post(RouterPath(path)) { request, context in
            let tenant = try await auth.tenant(request)
            let fields = try await request.fields(plural, context: context)
            let id = context.parameters.get("id") ?? ""
            let key = request.headers[.idempotencyKey].map { "\(tenant) \(request.uri.path) \($0)" }
            return try await idempotently(request, tenant: tenant, fields: fields, context: context) {
                Reply.created(try await TransactionNumber.$idempotencyKey.withValue(key) { try await work(tenant, fields, id) })
            }
        }
    }

    /// Empty collections for the resources this API does not implement, so every link template resolves.
    func addEmptyCollections(_ names: [String], under parent: String, to router: Router<ServiceRequestContext>) {
        for name in names {
            router.get(RouterPath("/\(parent)/{id}/\(name)")) { request, _ in
                _ = try await auth.tenant(request)
                return Response.json(Envelope.page(name, [], links: [:], path: request.uri.path, limit: 10, offset: 0, total: 0))
            }
        }
    }
}

extension Reply {
    static func created(_ resource: some Resource) -> Reply { Reply(status: .created, body: resource.envelope) }
}
