import Synchronization

/// Resource identifiers: a type prefix and random alphanumerics (`WD3bX…`), as Balanced's API has them.
public enum IDs {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    public static func make(_ prefix: String, length: Int = 24) -> String {
        prefix + random(length)
    }

    /// `length` random alphanumerics, for names that only need to be unique.
    public static func random(_ length: Int) -> String {
        var generator = IdentifierRandom()
        return random(length, using: &generator)
    }

    /// `length` alphanumerics, ten from each 64 random bits.
    public static func random(_ length: Int, using generator: inout some RandomNumberGenerator) -> String {
        String(unsafeUninitializedCapacity: length) { out in
            var written = 0
            while written < length {
                var bits = generator.next()
                for _ in 0..<min(10, length - written) {
                    out[written] = alphabet[Int(bits % 62)]
                    bits /= 62
                    written += 1
                }
            }
            return length
        }
    }
}

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
