import Foundation
import HarnessCore

/// A caller's timeout on the stack's clock, for in-memory stacks where waits take no wall time.
///
/// A callee that waits longer than its caller's `timeout` (a sandbox's slow answer, a latency fault)
/// still finishes what it was doing — as a server does after its client hung up — but the caller sees
/// `HopFailure.timedOut`, after the stack clock has passed its deadline.
public struct VirtualDeadline: TransportMiddleware {
    let clock: StackClock

    public init(clock: StackClock) {
        self.clock = clock
    }

    public func handle(
        _ request: ServiceRequest,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        guard let timeout = request.timeout else { return try await next(request) }
        let start = clock.now
        let response = try await next(request)
        guard clock.now.timeIntervalSince(start) * 1_000_000 <= timeout.microseconds else {
            throw HopFailure(kind: .timedOut, route: "\(request.callee) \(request.route)")
        }
        return response
    }
}
