import Synchronization

/// Random bits for identifiers of resources, requests and spans: unique and evenly spread, and drawn
/// without a system call (the system generator costs one per 64 bits, several per request).
///
/// Not for secrets: an identifier is not one, and an API key's secret comes from
/// `SystemRandomNumberGenerator`. This is wyrand over a process-wide counter seeded from the system
/// generator: every call takes the next counter value, so concurrent callers never share an output.
public struct IdentifierRandom: RandomNumberGenerator {
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    public init() {}

    public mutating func next() -> UInt64 {
        let state = Self.counter.wrappingAdd(0xa076_1d64_78bd_642f, ordering: .relaxed).newValue
        let mixed = (state ^ 0xe703_7ed1_a0b4_28db).multipliedFullWidth(by: state)
        return mixed.high ^ mixed.low
    }
}
