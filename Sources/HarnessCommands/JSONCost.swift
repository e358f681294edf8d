import Foundation
import HTTPTypes
import Harness
import NIOCore
import Synchronization

/// What JSON costs the scenario: every body of one scenario parsed and written again, by the services'
/// own reader and writer and by Foundation's `JSONSerialization`, timed in the same run.
struct JSONCost {
    let bodies: Int
    let bytes: Int
    let ownMicros: Double
    let foundationMicros: Double

    /// Records the request and response bodies of one more scenario on a stack the benchmark has run
    /// (so lists are as long as they get), then times both codecs on them.
    static func measure(_ stack: Stack, _ run: BenchScenario.Run, rounds: Int) async throws -> JSONCost {
        let recorded = Mutex<[ByteBuffer]>([])
        for service in stack.system.names {
            try stack.tap(service) { request, response in
                // JSON bodies only: vault and the processor's sandbox speak XML to each other.
                let json = [(request.head.headerFields[.contentType], request.body), (response.head.headerFields[.contentType], response.body)]
                    .filter { $0.0?.contains("json") == true && $0.1.readableBytes > 0 }.map(\.1)
                recorded.withLock { $0 += json }
            }
        }
        try await run.once()
        let bodies = recorded.withLock { $0 }
        let data = bodies.map { Data($0.readableBytesView) }
        func time(_ work: () throws -> Void) rethrows -> Double {
            for _ in 0..<max(1, rounds / 10) { try work() }
            let start = ContinuousClock.now
            for _ in 0..<rounds { try work() }
            return (ContinuousClock.now - start).microseconds / Double(rounds)
        }
        let own = try time {
            for body in bodies { _ = try JSON(parsing: body).encoded() }
        }
        let foundation = try time {
            for body in data {
                let object = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
                _ = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
            }
        }
        return JSONCost(bodies: bodies.count, bytes: bodies.map(\.readableBytes).reduce(0, +), ownMicros: own, foundationMicros: foundation)
    }

    var text: String {
        String(
            format:
                "JSON per scenario (%d bodies, %d bytes, parsed and written again): services' own %.1f µs, Foundation's JSONSerialization %.1f µs (%.1f×)",
            bodies, bytes, ownMicros, foundationMicros, ownMicros > 0 ? foundationMicros / ownMicros : 0)
    }
}
