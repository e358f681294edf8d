import HarnessContracts

/// What one consumer would meet if its provider's document changed, among the fields it reads: the
/// question `can-i-deploy` asks for every pair a release touches.
///
/// A provider's document is checked against every answer it gives in its own suites, so two documents
/// say how two builds of it answer; a consumer's contract says what it reads. A change the consumer does
/// not read (a field it ignores, a route it never calls) is no finding, and one it reads only optionally
/// is a warning: a tolerant reader of two names survives the rename of one.
public struct ReleaseFinding: Sendable, CustomStringConvertible {
    public var drift: Drift
    /// Whether the consumer breaks: it needs what is gone or changed. False for a field it reads only when present.
    public var breaking: Bool
    /// The consumer's read of the field, if the finding is about one.
    public var read: FieldRead?

    public var description: String {
        guard let field = drift.field, let read else { return "\(drift.route): \(drift.kind.summary) — \(drift.detail)" }
        var text = "\(drift.route) `\(field)` (\(read.required ? "required" : "optional")): \(drift.kind.summary) — \(drift.detail)"
        if let rename = drift.likelyRename { text += "; likely rename to `\(rename)`" }
        return text
    }

    /// The findings for `contract`'s consumer when its provider's answers go from what `tested` declares
    /// (what the consumer was built and tested against) to what `meets` declares.
    public static func findings(_ contract: Contract, tested: APIDocument, meets: APIDocument) -> [ReleaseFinding] {
        let changes = DocumentContract(consumer: contract.consumer, provider: contract.provider, copy: tested).breakingChanges(in: meets)
        return changes.compactMap { change in
            var drift = change
            drift.detail = drift.detail.replacingOccurrences(of: " (the provider's document against the consumer's copy)", with: "")
            let calls = contract.interactions.filter { $0.route == drift.route }
            guard !calls.isEmpty else { return nil }
            guard let field = drift.field else { return ReleaseFinding(drift: drift, breaking: true) }
            if drift.kind == .newRequiredRequestField {
                return calls.contains { !$0.requestSent.contains(field) } ? ReleaseFinding(drift: drift, breaking: true) : nil
            }
            let reads = calls.flatMap(\.fields).filter { $0.path == field || $0.path.hasPrefix(field + ".") || $0.path.hasPrefix(field + "[]") }
            guard !reads.isEmpty else { return nil }
            let read = reads.first { $0.path == field } ?? reads.first { $0.required } ?? reads[0]
            switch drift.kind {
            case .requiredFieldMissing, .readButDefaulted:
                let optional = drift.detail.contains("makes it optional")
                drift.kind = read.required ? .requiredFieldMissing : .readButDefaulted
                drift.detail = optional ? "it would come only sometimes: the document it would meet makes it optional" : "it would no longer come"
                return ReleaseFinding(drift: drift, breaking: read.required, read: read)
            case .nowNullable:
                return ReleaseFinding(drift: drift, breaking: !read.types.contains("null"), read: read)
            default:
                return ReleaseFinding(drift: drift, breaking: true, read: read)
            }
        }
    }
}
