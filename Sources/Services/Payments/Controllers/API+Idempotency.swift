import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import ServiceKit
import Synchronization

extension API {
    /// Runs a money-moving request at most once per `Idempotency-Key`.
    ///
    /// The first request claims the key in the database; a retry gets the stored response; a request
    /// made while the first is still running waits for it and gets the same response, so concurrent
    /// duplicates move money once. The same key with a different request is a 409 naming the fields
    /// that differ, never their values. A failure of the server (5xx) releases the key so the request
    /// can be retried. The answer to a money movement is stored in the transaction that moves the money
    /// (`IdempotencyClaim`); a claim left unanswered by a crash is taken over by a retry after its lease.
    ///
    /// A duplicate of a request this process is running is woken when it ends; only one whose first
    /// request runs in another process (two instances on one database, during a rolling deploy) polls.
    func idempotently(
        _ request: Request, tenant: String, fields: [String: JSON], context: ServiceRequestContext,
        _ work: () async throws -> Reply
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey], !key.isEmpty else { return try await work().response }
        guard key.count <= 255 else { throw ServiceError.invalidField("Idempotency-Key", "must be at most 255 characters") }
        let fingerprints = String(buffer: JSON.object(fingerprint.fields(fields).mapValues(JSON.string)).encoded())
        let running = running
        var lookedAgain = false
        for _ in 0..<400 {
            let claim = IdempotentRequest(
                tenantId: tenant, key: key, route: "\(request.method) \(request.uri.path)",
                summary: RequestFingerprint.summary(fields), fields: fingerprints, holder: IDs.make("IK"),
                createdAt: clock())
            // Claimed and marked running in one step, so a duplicate never sees the claim without the mark.
            let first: IdempotentRequest?
            do {
                first = try await database.write { db in
                    let first = try IdempotentRequest.claim(claim, isRunningHere: running.isRunning(claim.runningKey), in: db)
                    if first == nil { running.start(claim.runningKey) }
                    return first
                }
            } catch {
                running.end(claim.runningKey)  // a claim that did not commit is not running
                throw error
            }
            guard let first else { return try await perform(claim, context: context, work) }
            guard first.matches(claim) else { throw Self.reused(key, first: first, now: claim) }
            if let status = first.status, let body = first.response {
                var response = Reply(status: .init(code: status), body: (try? JSON(parsing: ByteBuffer(string: body))) ?? nil).response
                response.headers[.idempotentReplayed] = "true"
                return response
            }
            if await running.waitForEnd(of: claim.runningKey) { continue }
            // Not running here: it may have ended since the claim was read, so look once more before
            // concluding that another process holds it (or held it, and crashed: then its lease runs out).
            if !lookedAgain {
                lookedAgain = true
                continue
            }
            context.logger.debug("idempotency key held by another process; polling", metadata: ["key": "\(key)"])
            try await waitToPoll()
        }
        throw ServiceError(.conflict, "request", "A request with Idempotency-Key \(key) is still in progress; retry later.")
    }

    /// The 409 for a key reused for another request: the key, the route or the fields that differ.
    static func reused(_ key: String, first: IdempotentRequest, now: IdempotentRequest) -> ServiceError {
        let difference =
            first.route != now.route
            ? "it was first used for \(first.route)"
            : "these fields differ from its first request: \(first.differingFields(now).joined(separator: ", "))"
        return ServiceError(
            .conflict, "request", "Idempotency-Key \(key) was first used for another request; \(difference).",
            extras: ["idempotency_key": .string(key)])
    }

    /// Runs the first request of a key. A money movement stores its answer in its own transaction; any
    /// other answer (a refusal) is stored here; a server failure releases the key. The key stops running
    /// in the write that stores or releases it: a duplicate woken then finds the answer or claims the
    /// key, and a request claiming it meanwhile is not mistaken for this one.
    private func perform(
        _ claim: IdempotentRequest, context: ServiceRequestContext,
        _ work: () async throws -> Reply
    ) async throws -> Response {
        let (running, key) = (running, claim.runningKey)
        let holding = IdempotencyClaim(tenantId: claim.tenantId, key: claim.key, holder: claim.holder, requestID: context.id)
        let reply: Reply
        do {
            reply = try await IdempotencyClaim.$current.withValue(holding) { try await work() }
        } catch {
            let refusal = Reply(error: error, requestID: context.id, service: PaymentsService.serviceName)
            guard refusal.status.code < 500 else {
                let released: Void? = try? await database.write { db in
                    try IdempotentRequest.release(tenantId: claim.tenantId, key: claim.key, holder: claim.holder, in: db)
                    running.end(key)
                }
                if released == nil { running.end(key) }
                throw error
            }
            reply = refusal
        }
        guard !holding.isAnswered else {
            running.end(key)
            return reply.response
        }
        do {
            try await database.write { db in
                _ = try IdempotentRequest.answer(tenantId: claim.tenantId, key: claim.key, holder: claim.holder, with: reply, in: db)
                running.end(key)
            }
        } catch {
            running.end(key)
            throw error
        }
        return reply.response
    }
}

extension IdempotentRequest {
    var runningKey: String { "\(tenantId)\n\(key)" }
}

/// The idempotency keys whose first request is running in this process, and who waits for each.
final class RunningKeys: Sendable {
    private let waiters = Mutex<[String: [CheckedContinuation<Bool, Never>]]>([:])

    /// Marks `key` running; anyone still waiting on it stays waiting, for this request's end.
    func start(_ key: String) {
        waiters.withLock { if $0[key] == nil { $0[key] = [] } }
    }

    func end(_ key: String) {
        for waiter in waiters.withLock({ $0.removeValue(forKey: key) }) ?? [] { waiter.resume(returning: true) }
    }

    func isRunning(_ key: String) -> Bool {
        waiters.withLock { $0[key] != nil }
    }

    /// How many duplicates wait for `key`'s request to end: what a test waits on, never a guess at time.
    func waiting(on key: String) -> Int {
        waiters.withLock { $0[key]?.count ?? 0 }
    }

    /// Waits until the request running with `key` ends: true then, false at once when none runs here.

    func waitForEnd(of key: String) async -> Bool {
        await withCheckedContinuation { continuation in
            let waiting = waiters.withLock { waiters in
                guard waiters[key] != nil else { return false }
                waiters[key]!.append(continuation)
                return true
            }
            if !waiting { continuation.resume(returning: false) }
        }
    }
}
