/// A misuse of the harness, said so that the developer knows what to change.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
