import HarnessContracts
import HarnessCore
import Synchronization

/// A hop held until released: the test (or a debugger session) acts while a request is stopped on its
/// way into a service, to reproduce a race between services on purpose.
///
/// ```swift
/// let pause = try stack.pause(.fraud, from: .payments, route: "POST /checks")
/// let first = Task { try await merchant.payments.post("/cards/\(card)/debits", body, headers: key) }
/// await pause.waitUntilHeld()          // the first debit is stopped before fraud
/// let second = try await merchant.payments.post(…same key…)   // arrives meanwhile
/// pause.release()
/// ```
public final class HopPause: Sendable {
    private let state:
        Mutex<
            (
                released: Bool, held: [CheckedContinuation<Void, Never>], count: Int,
                watchers: [(Int, CheckedContinuation<Void, Never>)]
            )
        >

    /// - Parameter holding: false for a pause that lets requests through until `close()`.
    public init(holding: Bool = true) {
        state = Mutex((!holding, [], 0, []))
    }

    /// Holds requests again, from now on.
    public func close() {
        state.withLock { $0.released = false }
    }

    /// How many requests have been held so far.
    public var heldCount: Int { state.withLock { $0.count } }

    /// Returns once `count` requests have been held (at once, if they already have).
    public func waitUntilHeld(_ count: Int = 1) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets every held request through, and every later one.
    public func release() {
        let held = state.withLock { state in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        held.forEach { $0.resume() }
    }

    /// Holds the caller until released; `Stack.pause` calls it on its hop, a fake peer may call it itself.
    public func hold() async {
        await withCheckedContinuation { continuation in
            let (pass, reached) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                guard !state.released else { return (true, []) }
                state.count += 1
                state.held.append(continuation)
                let reached = state.watchers.filter { $0.0 <= state.count }.map(\.1)
                state.watchers.removeAll { $0.0 <= state.count }
                return (false, reached)
            }
            reached.forEach { $0.resume() }
            if pass { continuation.resume() }
        }
    }
}

extension Stack {
    /// Holds every request into `callee` (from `caller`, on `route`, if given) until the pause is released.
    public func pause(_ callee: ServiceName, from caller: ServiceName? = nil, route: String? = nil) throws -> HopPause {
        let pause = HopPause()
        let route = try route.map(Self.route)
        let declared = try declaredRoutes(of: callee)
        try intercept(callee, from: caller) { request, next in
            if route.map({ request.isOn($0, among: declared) }) ?? true { await pause.hold() }
            return try await next(request)
        }
        return pause
    }
}
