import HarnessContracts
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
