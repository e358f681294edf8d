import Foundation
import Synchronization

/// A clock the test moves by hand, so time-based rules (velocity windows) are tested without sleeping.
public final class StackClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date()) {
        self.current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}
