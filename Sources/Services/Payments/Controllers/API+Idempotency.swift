import Foundation
import GRDB
import Hummingbird
import HTTPTypes
import ServiceKit
import Synchronization

extension API {
    /// Runs a money-moving request at most once per `Idempotency-Key`.
    ///
    /// The first request claims the key in the database; a retry gets the stored response; a request
    /// made while the first is still running waits for it and gets the same response, so concurrent
    /// duplicates move money once. The same key with a different request is a 409. A failure of the
    /// server (5xx) releases the key so the request can be retried.
    ///
    /// A duplicate of a request this process is running is woken when it ends; only one whose first
    /// request runs in another process (two instances on one database, during a rolling deploy) polls.
    func idempotently(_ request: Request, tenant: String, fields: [String: JSON], context: ServiceRequestContext,
                      _ work: () async throws -> Reply) async throws -> Response {
        guard let key = request.headers[.idempotencyKey], !key.isEmpty else { return try await work().response }
        guard key.count <= 255 else { throw ServiceError.invalidField("Idempotency-Key", "must be at most 255 characters") }
        let signature = "\(request.method) \(request.uri.path) \(JSON.object(fields))"
        let claim = IdempotentRequest(tenantId: tenant, key: key, request: signature, createdAt: clock())
        let running = running
        for _ in 0..<400 {
            // Claimed and marked running in one step, so a duplicate never sees the claim without the mark.
            let first: IdempotentRequest?
            do {
                first = try await database.write { db in
                    let first = try IdempotentRequest.claim(claim, in: db)
                    if first == nil { running.start(claim.runningKey) }
                    return first
                }
            } catch {
                running.end(claim.runningKey) // a claim that did not commit is not running
                throw error
            }
            guard let first else {
                defer { running.end(claim.runningKey) }
                return try await perform(claim, context: context, work)
            }
            guard first.request == signature else {
                throw ServiceError(.conflict, "request", "Idempotency-Key \(key) was first used for another request: \(first.request.prefix(200))")
            }
            if let status = first.status, let body = first.response {
                var response = Reply(status: .init(code: status), body: (try? JSON(parsing: ByteBuffer(string: body))) ?? nil).response
                response.headers[.idempotentReplayed] = "true"
                return response
            }
            if await !running.waitForEnd(of: claim.runningKey) {
                context.logger.debug("idempotency key held by another process; polling", metadata: ["key": "\(key)"])
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        throw ServiceError(.conflict, "request", "A request with Idempotency-Key \(key) is still in progress; retry later.")
    }

    private func perform(_ claim: IdempotentRequest, context: ServiceRequestContext,
                         _ work: () async throws -> Reply) async throws -> Response {
        let reply: Reply
        do {
            reply = try await work()
        } catch {
            let refusal = Reply(error: error, requestID: context.id, service: PaymentsService.serviceName)
            guard refusal.status.code < 500 else {
                _ = try? await database.write { try IdempotentRequest.deleteOne($0, key: ["tenant_id": claim.tenantId, "key": claim.key]) }
                throw error
            }
            reply = refusal
        }
        var done = claim
        done.status = reply.status.code
        done.response = String(buffer: reply.body.encoded())
        try await database.write { [done] in try done.update($0) }
        return reply.response
    }
}

extension IdempotentRequest {
    var runningKey: String { "\(tenantId)\n\(key)" }
}

/// The idempotency keys whose first request is running in this process, and who waits for each.
final class RunningKeys: Sendable {
    private let waiters = Mutex<[String: [CheckedContinuation<Bool, Never>]]>([:])

    func start(_ key: String) {
        waiters.withLock { $0[key] = [] }
    }

    func end(_ key: String) {
        for waiter in waiters.withLock({ $0.removeValue(forKey: key) }) ?? [] { waiter.resume(returning: true) }
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
