import Foundation
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Synchronization

/// Real traffic through a front door while it changes under it: debits with idempotency keys (every
/// third one sent twice, which must answer the same debit) and dashboard reads, each response checked.
///
/// A bounded set of workers loops until stopped; every request's latency and every failure is kept.
final class LoadGenerator: Sendable {
    private let results = Mutex<(latencies: [Duration], failures: [String])>(([], []))
    private let running = Atomic<Bool>(true)
    let workers: Int

    init(workers: Int) { self.workers = workers }

    /// Opens a marketplace and a card at `frontDoor`, then sends traffic until `stop()`.
    func run(frontDoor: String) async throws {
        try await withStack(.payments, .staging(frontDoor), contracts: .none) { stack in
            let merchant = try await stack.openMarketplace()
            let card =
                ["number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123", "name": "Rolling Deploy"] as JSON
            let id = try await merchant.payments.post("/cards", card).resource("cards", status: 201)["id"].string ?? ""
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask { await self.loop(worker, merchant: merchant, card: id) }
                }
            }
        }
    }

    func stop() { running.store(false, ordering: .relaxed) }

    private func loop(_ worker: Int, merchant: Merchant, card: String) async {
        var step = 0
        var previous: (key: String, debit: String)?
        while running.load(ordering: .relaxed) {
            step += 1
            if step % 4 == 0 {
                await measure("GET /dashboard/summary") {
                    try await merchant.dashboard.get("/summary")
                } check: {
                    $0.status == .ok ? nil : "answered \($0.status.code)"
                }
                continue
            }
            let replay = step % 4 == 3 ? previous : nil
            let key = replay?.key ?? "roll-\(worker)-\(step)-\(UInt32.random(in: 0...UInt32.max))"
            var debit: String?
            await measure("POST /payments/cards/…/debits") {
                try await merchant.payments.post(
                    "/cards/\(card)/debits", ["amount": 500, "description": "rolling deploy"], headers: [.idempotencyKey: key])
            } check: { response in
                guard response.status == .created, let id = response.json?["debits"][0]["id"].string else {
                    return "answered \(response.status.code): \(response.bodyText.prefix(160))"
                }
                debit = id
                if let replay, replay.debit != id { return "a retried Idempotency-Key made a second debit (\(id) after \(replay.debit))" }
                return nil
            }
            previous = debit.map { (key, $0) }
        }
    }

    private func measure(_ what: String, _ send: () async throws -> ServiceResponse, check: (ServiceResponse) -> String?) async {
        let started = ContinuousClock.now
        let failure: String?
        do {
            failure = check(try await send())
        } catch {
            failure = "\(error)"
        }
        let latency = ContinuousClock.now - started
        results.withLock { results in
            results.latencies.append(latency)
            if let failure { results.failures.append("\(what) \(failure)") }
        }
    }

    /// Requests sent, failures and latency percentiles so far.
    var report: LoadReport {
        results.withLock { LoadReport(latencies: $0.latencies.sorted(), failures: $0.failures) }
    }
}

/// What the traffic saw.
struct LoadReport {
    let latencies: [Duration]
    let failures: [String]

    func percentile(_ p: Double) -> Duration {
        latencies.isEmpty ? .zero : latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
    }

    var line: String {
        "requests \(latencies.count), failures \(failures.count), latency p50 \(Self.milliseconds(percentile(0.5))), p99 \(Self.milliseconds(percentile(0.99)))"
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f ms", duration.microseconds / 1000)
    }
}
