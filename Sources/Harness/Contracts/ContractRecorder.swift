import Foundation
import HarnessContracts
import NIOCore
import Synchronization

/// A stack's view of what its consumers read: recorded for `harness contracts record`, and checked live
/// against the checked-in contracts so drift fails the test that caused it, whatever the test asserts.
public final class ContractRecorder: ReadObserver {
    /// One contract per consumer, provider, route and status, merged as reads come: a stack that serves
    /// a million calls holds what it held after the first few.
    private let seen = Mutex<[String: Contract]>([:])
    private let problems = Mutex<[Drift]>([])
    private let examples = Mutex<[String: Example]>([:])
    let expected: ContractBook
    /// Whether to work out what each answer offered and keep an example of each call, for contract files and Pacts.
    let recording: Bool
    /// Where the reads are appended when the stack goes, when recording a run.
    let recordingFile: String?
    /// Where `expected` came from, for the diagnosis of a drift.
    let origin: String
    /// The SQL the services ran, while recording.
    let statements = StatementLog()

    public convenience init(expected: ContractBook, recording: Bool = false) {
        self.init(expected: expected, recording: recording, recordingFile: nil, origin: "the contracts given")
    }

    /// A stack's recorder, as its `StackContracts` says; throws when the contracts cannot be read.
    convenience init(_ contracts: StackContracts) throws {
        self.init(
            expected: try contracts.expected(), recording: contracts.recordingFile != nil,
            recordingFile: contracts.recordingFile, origin: contracts.origin)
    }

    init(expected: ContractBook, recording: Bool, recordingFile: String?, origin: String) {
        self.expected = expected
        self.recording = recording
        self.recordingFile = recordingFile
        self.origin = origin
    }

    public func observed(_ read: ObservedRead) {
        if let contract = expected.contract(read.consumer, read.provider) {
            let found = ContractCheck.drift(read, against: contract)
            if !found.isEmpty { problems.withLock { $0 += found } }
        }
        var kept = read
        if recording {
            kept.offered = read.body.fieldPaths
            if let request = read.request {
                let example = Example(request, body: read.requestBody, answer: read.body, fields: read.fields)
                examples.withLock { $0[Example.key(read.consumer, read.provider, read.route, read.status), default: example].merge(example) }
            }
        }
        let interaction = Contract.Interaction(kept)
        let key = "\(read.consumer)|\(read.provider)|\(read.route)|\(read.status)"
        seen.withLock { seen in
            if seen[key] == nil {
                seen[key] = Contract(consumer: read.consumer, provider: read.provider, interactions: [interaction])
            } else {
                seen[key]!.interactions[0].merge(interaction)
            }
        }
    }

    /// The contracts of the reads so far; with an example of each interaction while recording.
    public var book: ContractBook { ContractBook(merging: Array(seen.withLock { $0.values })).attaching(examples.withLock { $0 }) }

    public func drifted(_ drift: Drift) {
        problems.withLock { $0.append(drift) }
    }

    /// Each drift seen so far: live reads that differ from the checked-in contracts, and answers a
    /// consumer could not read at all.
    public var drift: [Drift] { problems.withLock { $0 } }

    /// Appends this stack's reads to its recording file, when recording: how a run's contracts are collected.
    func flush() {
        guard let recordingFile else { return }
        RunFile.append(book.contracts.map { String(buffer: $0.json.encoded()) + "\n" }.joined() + statements.lines, to: recordingFile)
    }

    /// The contracts a run recorded into a file (`StackContracts.recording(into:)`), merged.
    public static func read(_ path: String) throws -> ContractBook {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ContractBook([]) }
        return ContractBook(
            merging: try text.split(separator: "\n").filter { !$0.hasPrefix("{\"statements\"") }.map {
                try Contract(json: try JSON(parsing: ByteBuffer(string: String($0))))
            })
    }
}

/// What a live read says about a recorded expectation.
enum ContractCheck {
    static func drift(_ read: ObservedRead, against contract: Contract) -> [Drift] {
        func drift(_ field: String?, _ kind: DriftKind, _ detail: String, rename: String? = nil) -> Drift {
            Drift(
                consumer: read.consumer, provider: read.provider, route: read.route, field: field, kind: kind, detail: detail,
                likelyRename: rename)
        }
        let interaction = contract.interaction(read.route, read.status)
        let refused = Set(read.refusedFields).subtracting(interaction?.refusedFields ?? [])
        if (400..<500).contains(read.status), !refused.isEmpty {
            // The provider's handler says what it read: a refused field it reads as required and the
            // consumer does not send is a new requirement; anything else it refuses is a refusal.
            let required = Set((read.requestRead ?? []).filter(\.required).map(\.path))
            return refused.sorted().map { field in
                let new = required.contains(field) && !read.requestSent.contains(field)
                return drift(
                    field, new ? .newRequiredRequestField : .requestFieldRefused,
                    "\(read.provider) answered \(read.status) for it, which no recorded call was refused for")
            }
        }
        if let interaction { return problems(read, against: interaction).map { drift($0.field, $0.kind, $0.detail, rename: $0.rename) } }
        let recorded = contract.interactions.filter { $0.route == read.route }.map(\.status)
        guard !recorded.isEmpty else { return [] }
        return [
            drift(
                nil, .statusChanged,
                "\(read.consumer) reads it as \(recorded.map(String.init).joined(separator: " or ")) "
                    + "and it answered \(read.status)")
        ]
    }

    typealias Finding = (field: String, kind: DriftKind, detail: String, rename: String?)

    static func problems(_ read: ObservedRead, against interaction: Contract.Interaction) -> [Finding] {
        let now = Dictionary(uniqueKeysWithValues: read.fields.map { ($0.path, $0) })
        let unread = Set(read.fields.map(\.path))
        var problems = requestProblems(read, against: interaction)
        for expected in interaction.fields {
            guard let actual = now[expected.path] else { continue }
            let cameAs = expected.types.subtracting(["absent", "null"])
            let comes = actual.types.subtracting(["absent", "null"])
            if !expected.required, !expected.types.contains("absent"), actual.types == ["absent"] {
                let rename = renamed(expected, in: read.body, unread: unread)
                var detail =
                    "read optionally, it used to come (\(cameAs.sorted().joined(separator: "|"))) and is now absent, "
                    + "so \(read.consumer) silently took its default"
                if let rename { detail += "; found `\(rename)` instead (same JSON type\(expected.accepts == nil ? "" : ", and a value it accepts"))" }
                problems.append((expected.path, .readButDefaulted, detail, rename))
            } else if !cameAs.isEmpty, !comes.isEmpty, cameAs.isDisjoint(with: comes) {
                problems.append(
                    (
                        expected.path, .typeChanged,
                        "it was \(cameAs.sorted().joined(separator: "|")) and is now \(comes.sorted().joined(separator: "|"))", nil
                    ))
            } else if !expected.types.contains("null"), actual.types.contains("null") {
                problems.append((expected.path, .nowNullable, "it never came as null and now does", nil))
            }
        }
        return problems
    }

    /// A field the consumer sends that the provider used to read and reads no longer.
    static func requestProblems(_ read: ObservedRead, against interaction: Contract.Interaction) -> [Finding] {
        guard let nowRead = read.requestRead, !interaction.requestRead.isEmpty else { return [] }
        let now = Set(nowRead.map(\.path))
        let before = Set(interaction.requestRead.map(\.path))
        let insteadRead = nowRead.filter { !before.contains($0.path) && $0.types == ["absent"] }.map(\.path).sorted()
        let skipped = insteadRead.isEmpty ? Set(interaction.requestReadSometimes) : []
        return interaction.requestRead.filter { read.requestSent.contains($0.path) && !now.contains($0.path) && !skipped.contains($0.path) }.map {
            field in
            var detail = "\(read.consumer) sends it, and \(read.provider) used to read it and no longer does"
            if let other = insteadRead.first { detail += "; it reads `\(other)` instead, which \(read.consumer) does not send" }
            return (field.path, .requestFieldNoLongerRead, detail, insteadRead.first)
        }
    }

    /// The last key of a field path: `brand` of `cards[].brand`.
    static func leaf(_ path: String) -> String {
        for case .key(let key) in JSONPath(path).components.reversed() { return key }
        return path
    }

    /// A key beside the missing one that the view does not read, of the type (and, for an enum, a value)
    /// the view expected.
    static func renamed(_ expected: FieldRead, in body: JSON, unread: Set<String>) -> String? {
        let steps = JSONPath(expected.path).components
        let leafKey = steps.lastIndex { if case .key = $0 { true } else { false } } ?? 0
        let node = body[JSONPath(Array(steps[..<leafKey]))] ?? .null
        let parent = JSONPath(Array(steps[..<leafKey])).description
        let types = expected.types.subtracting(["absent", "null"])
        return node.object?.filter { key, value in
            let path = parent.isEmpty ? key : "\(parent).\(key)"
            guard !unread.contains(path), types.contains(value.typeName) else { return false }
            if let accepts = expected.accepts { return value.string.map(accepts.contains) ?? false }
            return true
        }.keys.sorted { (ContractViolation.similarity($0, leaf(expected.path)), $1) > (ContractViolation.similarity($1, leaf(expected.path)), $0) }
            .first
    }
}

extension JSON {
    /// Every field of the document, objects included, as contracts name them (`debits[].amount`).
    var fieldPaths: Set<String> {
        var paths: Set<String> = []
        func walk(_ value: JSON, _ prefix: String) {
            switch value {
            case .object(let object):
                for (key, child) in object {
                    let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                    paths.insert(path)
                    walk(child, path)
                }
            case .array(let items):
                items.forEach { walk($0, prefix + "[]") }
            default: break
            }
        }
        walk(self, "")
        return paths
    }
}
