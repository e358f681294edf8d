/// Resource identifiers: a type prefix and random alphanumerics (`WD3bX…`), as Balanced's API has them.
public enum IDs {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    public static func make(_ prefix: String, length: Int = 24) -> String { prefix + random(length) }

    /// `length` random alphanumerics, drawing 64 bits of system randomness per ten characters.
    public static func random(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var characters: [Character] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            var bits = generator.next()
            for _ in 0..<min(10, length - characters.count) {
                characters.append(alphabet[Int(bits % 62)])
                bits /= 62
            }
        }
        return String(characters)
    }
}
