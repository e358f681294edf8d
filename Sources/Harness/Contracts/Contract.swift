import Foundation
import HarnessContracts
import HarnessCore
import NIOCore

/// What one consumer reads from one provider, route by route: the file `contracts/<consumer>-<provider>.json`.
///
/// Recorded from the acceptance run (`harness contracts record`) and checked in, so a change to what a
/// consumer reads shows in review as a diff, and drift from it fails the next run.
public struct Contract: Sendable, Equatable {
    public struct Interaction: Sendable, Equatable {
        public var route: String
        public var status: Int
        public var fields: [FieldRead]
        /// For a 4xx the consumer passes on: the request fields the provider refused (a merchant's bad input).
        public var refusedFields: [String] = []
        /// The consumer's view type that reads the answer.
        public var view: String?
        /// Fields of the provider's answer that the consumer does not read: safe for the provider to change.
        public var unreadFields: [String] = []
        /// The request fields the consumer sends, and those the provider's handler reads (when it reports them).
        public var requestSent: [String] = []
        public var requestRead: [FieldRead] = []
        /// The request fields the provider read on some calls and not on others: a handler that reads a
        /// field only on one path (an early return) has not stopped reading it when a call skips it.
        public var requestReadSometimes: [String] = []
        /// A call and the values that came, for a Pact; only in a recording run's contracts, never in files.
        public var example: Example?

        public init(route: String, status: Int, fields: [FieldRead]) {
            self.route = route
            self.status = status
            self.fields = fields
        }
    }

    public var consumer: ServiceName
    public var provider: ServiceName
    public var interactions: [Interaction]

    public var fileName: String { "\(consumer)-\(provider).json" }

    public init(consumer: ServiceName, provider: ServiceName, interactions: [Interaction]) {
        self.consumer = consumer
        self.provider = provider
        self.interactions = interactions.sorted { ($0.route, $0.status) < ($1.route, $1.status) }
    }

    public func interaction(_ route: String, _ status: Int) -> Interaction? {
        interactions.first { $0.route == route && $0.status == status }
    }

    public var json: JSON {
        [
            "consumer": .string(consumer.rawValue), "provider": .string(provider.rawValue),
            "interactions": .array(
                interactions.map { interaction in
                    var object: [String: JSON] = [
                        "route": .string(interaction.route), "status": .number(Double(interaction.status)),
                        "response_fields": .array(interaction.fields.sorted().map(\.json)),
                    ]
                    if !interaction.refusedFields.isEmpty { object["refused_request_fields"] = .array(interaction.refusedFields.map(JSON.string)) }
                    if !interaction.unreadFields.isEmpty { object["unread_response_fields"] = .array(interaction.unreadFields.map(JSON.string)) }
                    if let view = interaction.view { object["view"] = .string(view) }
                    if !interaction.requestSent.isEmpty { object["request_fields_sent"] = .array(interaction.requestSent.map(JSON.string)) }
                    if !interaction.requestRead.isEmpty { object["request_fields_read_by_provider"] = .array(interaction.requestRead.map(\.json)) }
                    if !interaction.requestReadSometimes.isEmpty {
                        object["request_fields_read_on_some_calls"] = .array(interaction.requestReadSometimes.map(JSON.string))
                    }
                    object["example"] = interaction.example?.json
                    return .object(object)
                }),
        ]
    }

    public init(json: JSON) throws {
        guard let consumer = json["consumer"].string, let provider = json["provider"].string else {
            throw HarnessError("a contract file needs `consumer` and `provider`")
        }
        self.init(
            consumer: ServiceName(consumer), provider: ServiceName(provider),
            interactions: try (json["interactions"].array ?? []).map { item in
                guard let route = item["route"].string, let status = item["status"].int else {
                    throw HarnessError("a contract interaction needs `route` and `status`: \(item)")
                }
                var interaction = Interaction(
                    route: route, status: status,
                    fields: (item["response_fields"].array ?? []).compactMap(FieldRead.init(json:)))
                interaction.refusedFields = item["refused_request_fields"].strings
                interaction.unreadFields = item["unread_response_fields"].strings
                interaction.view = item["view"].string
                interaction.requestSent = item["request_fields_sent"].strings
                interaction.requestRead = (item["request_fields_read_by_provider"].array ?? []).compactMap(FieldRead.init(json:))
                interaction.requestReadSometimes = item["request_fields_read_on_some_calls"].strings
                interaction.example = Example(json: item["example"])
                return interaction
            })
    }
}

/// Every contract of a system, as the `contracts/` directory holds them.
public struct ContractBook: Sendable {
    public var contracts: [Contract]

    public init(_ contracts: [Contract]) { self.contracts = contracts.sorted { $0.fileName < $1.fileName } }

    /// Contracts from the reads of a run, one per consumer–provider pair.
    public init(reads: [ObservedRead]) {
        self.init(
            merging: reads.map { read in
                Contract(consumer: read.consumer, provider: read.provider, interactions: [Contract.Interaction(read)])
            })
    }

    /// One contract per consumer–provider pair, each interaction merged from all that have its route and status.
    public init(merging contracts: [Contract]) {
        var byPair: [String: (consumer: ServiceName, provider: ServiceName, interactions: [String: Contract.Interaction])] = [:]
        for contract in contracts {
            let pair = "\(contract.consumer)|\(contract.provider)"
            var merged = byPair[pair] ?? (contract.consumer, contract.provider, [:])
            for interaction in contract.interactions {
                let key = "\(interaction.route)|\(interaction.status)"
                if merged.interactions[key] == nil { merged.interactions[key] = interaction } else { merged.interactions[key]!.merge(interaction) }
            }
            byPair[pair] = merged
        }
        self.init(byPair.values.map { Contract(consumer: $0.consumer, provider: $0.provider, interactions: Array($0.interactions.values)) })
    }

    /// The same contracts with an example for each interaction that has one (by `Example.key`).
    func attaching(_ examples: [String: Example]) -> ContractBook {
        guard !examples.isEmpty else { return self }
        return ContractBook(
            contracts.map { contract in
                var contract = contract
                for index in contract.interactions.indices {
                    let interaction = contract.interactions[index]
                    contract.interactions[index].example =
                        examples[Example.key(contract.consumer, contract.provider, interaction.route, interaction.status)]
                }
                return contract
            })
    }

    public func contract(_ consumer: ServiceName, _ provider: ServiceName) -> Contract? {
        contracts.first { $0.consumer == consumer && $0.provider == provider }
    }

    /// Reads every `*.json` of a directory. A directory that is missing, unreadable or holds no contract
    /// is an error, never an empty book: an empty book checks nothing, and would say so to no one.
    public static func load(from directory: String) throws -> ContractBook {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw HarnessError("the contracts directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw HarnessError("the contracts directory \(directory) is not a directory") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
        } catch {
            throw HarnessError("cannot read the contracts directory \(directory): \(error.localizedDescription)")
        }
        guard !names.isEmpty else { throw HarnessError("the contracts directory \(directory) holds no contract (*.json)") }
        return ContractBook(
            try names.sorted().map { name in
                guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
                    throw HarnessError("cannot read \(directory)/\(name)")
                }
                do {
                    return try Contract(json: try JSON(parsing: ByteBuffer(bytes: data)))
                } catch {
                    throw HarnessError("\(directory)/\(name) is not a contract: \(error)")
                }
            })
    }

    /// Writes one pretty-printed file per pair, and removes files of pairs that no longer exist.
    public func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keep = Set(contracts.map(\.fileName))
        for stale in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where stale.hasSuffix(".json") && !keep.contains(stale) {
            try FileManager.default.removeItem(atPath: "\(directory)/\(stale)")
        }
        for var contract in contracts {
            for index in contract.interactions.indices { contract.interactions[index].example = nil }
            try (contract.json.pretty + "\n").write(toFile: "\(directory)/\(contract.fileName)", atomically: true, encoding: .utf8)
        }
        return contracts.map(\.fileName)
    }
}

extension Contract.Interaction {
    /// One read as an interaction of its own.
    init(_ read: ObservedRead) {
        self.init(route: read.route, status: read.status, fields: read.fields.sorted())
        refusedFields = read.refusedFields.sorted()
        view = read.view
        requestSent = read.requestSent.sorted()
        requestRead = (read.requestRead ?? []).sorted()
        unreadFields = read.offered.filter { !Self.reads($0, fields) }.sorted()
    }

    /// The same route and status read again: every field either read, and the request fields read on
    /// one call and not the other noted as read on some calls.
    mutating func merge(_ other: Contract.Interaction) {
        fields = Self.merged(fields, other.fields)
        refusedFields = Array(Set(refusedFields).union(other.refusedFields)).sorted()
        view = view ?? other.view
        requestSent = Array(Set(requestSent).union(other.requestSent)).sorted()
        var sometimes = Set(requestReadSometimes).union(other.requestReadSometimes)
        if !requestRead.isEmpty, !other.requestRead.isEmpty {
            sometimes.formUnion(Set(requestRead.map(\.path)).symmetricDifference(other.requestRead.map(\.path)))
        }
        requestReadSometimes = sometimes.sorted()
        requestRead = Self.merged(requestRead, other.requestRead)
        unreadFields = Set(unreadFields).union(other.unreadFields).filter { !Self.reads($0, fields) }.sorted()
        if example == nil { example = other.example } else if let theirs = other.example { example!.merge(theirs) }
    }

    static func merged(_ a: [FieldRead], _ b: [FieldRead]) -> [FieldRead] {
        var byPath = Dictionary(uniqueKeysWithValues: a.map { ($0.path, $0) })
        for field in b {
            if byPath[field.path] == nil { byPath[field.path] = field } else { byPath[field.path]!.merge(field) }
        }
        return byPath.values.sorted()
    }

    /// Whether `path`, or a field inside it, is read.
    static func reads(_ path: String, _ fields: [FieldRead]) -> Bool {
        fields.contains { $0.path == path || $0.path.hasPrefix(path + ".") || $0.path.hasPrefix(path + "[]") }
    }
}

extension FieldRead {
    /// A field as a contract file writes it; empty `seen` and absent `accepts` are left out.
    var json: JSON {
        var object: [String: JSON] = ["path": .string(path), "required": .bool(required), "types": .array(types.sorted().map(JSON.string))]
        object["accepts"] = accepts.map { .array($0.map(JSON.string)) }
        if !seen.isEmpty { object["seen"] = .array(seen.sorted().map(JSON.string)) }
        return .object(object)
    }

    init?(json: JSON) {
        guard let path = json["path"].string else { return nil }
        self.init(
            path: path, required: json["required"].bool ?? false, types: Set(json["types"].strings),
            accepts: json["accepts"].array?.compactMap(\.string), seen: Set(json["seen"].strings))
    }
}

extension JSON {
    /// The strings of an array; none for anything else.
    var strings: [String] { array?.compactMap(\.string) ?? [] }

    /// Two-space indented, keys sorted: one field a line, so a contract's change reads as a diff.
    public var pretty: String {
        func render(_ value: JSON, _ indent: String) -> String {
            switch value {
            case .array(let items) where !items.isEmpty:
                let inner = indent + "  "
                return "[\n" + items.map { inner + render($0, inner) }.joined(separator: ",\n") + "\n\(indent)]"
            case .object(let object) where !object.isEmpty:
                let inner = indent + "  "
                return "{\n"
                    + object.keys.sorted().map { "\(inner)\(JSON.string($0)): \(render(object[$0]!, inner))" }
                    .joined(separator: ",\n") + "\n\(indent)}"
            default:
                return value.description
            }
        }
        return render(self, "")
    }
}
