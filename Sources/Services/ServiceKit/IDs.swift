/// Resource identifiers: a type prefix and random alphanumerics (`WD3bX…`), as Balanced's API has them.
public enum IDs {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    public static func make(_ prefix: String, length: Int = 24) -> String { prefix + random(length) }

    public static func random(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A transaction number such as `W8HB-KOX-DQ4Y`.
    public static func transactionNumber(_ prefix: String) -> String {
        let upper = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        func chunk(_ n: Int) -> String { String((0..<n).map { _ in upper.randomElement(using: &generator)! }) }
        return "\(prefix)\(chunk(3))-\(chunk(3))-\(chunk(4))"
    }
}
