/// The Luhn (mod 10) check every real card number passes: vault checks what clients send, the
/// processor's sandbox what vault sends.
public enum Luhn {
    public static func isValid(_ digits: String) -> Bool {
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return false }
            let weighted = offset % 2 == 1 ? digit * 2 : digit
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return !digits.isEmpty && sum % 10 == 0
    }
}

/// FNV-1a, 64 bits: a stable hash of a text, the same in every process and build (Swift's `Hasher` is
/// seeded per process). For numbers derived from names — trace numbers, keyed transaction numbers —
/// never for secrets.
public enum StableHash {
    public static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
