import Foundation
import NIOCore
import ServiceKit

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
        ["consumer": .string(consumer.rawValue), "provider": .string(provider.rawValue),
         "interactions": .array(interactions.map { interaction in
             var object: [String: JSON] = [
                 "route": .string(interaction.route), "status": .number(Double(interaction.status)),
                 "response_fields": .array(interaction.fields.sorted().map(\.json)),
             ]
             if !interaction.refusedFields.isEmpty { object["refused_request_fields"] = .array(interaction.refusedFields.map(JSON.string)) }
             if !interaction.unreadFields.isEmpty { object["unread_response_fields"] = .array(interaction.unreadFields.map(JSON.string)) }
             if let view = interaction.view { object["view"] = .string(view) }
             if !interaction.requestSent.isEmpty { object["request_fields_sent"] = .array(interaction.requestSent.map(JSON.string)) }
             if !interaction.requestRead.isEmpty { object["request_fields_read_by_provider"] = .array(interaction.requestRead.map(\.json)) }
             return .object(object)
         })]
    }

    public init(json: JSON) throws {
        guard let consumer = json["consumer"].string, let provider = json["provider"].string else {
            throw HarnessError("a contract file needs `consumer` and `provider`")
        }
        self.init(consumer: ServiceName(consumer), provider: ServiceName(provider), interactions: try (json["interactions"].array ?? []).map { item in
            guard let route = item["route"].string, let status = item["status"].int else {
                throw HarnessError("a contract interaction needs `route` and `status`: \(item)")
            }
            var interaction = Interaction(route: route, status: status,
                                          fields: (item["response_fields"].array ?? []).compactMap(FieldRead.init(json:)))
            interaction.refusedFields = item["refused_request_fields"].strings
            interaction.unreadFields = item["unread_response_fields"].strings
            interaction.view = item["view"].string
            interaction.requestSent = item["request_fields_sent"].strings
            interaction.requestRead = (item["request_fields_read_by_provider"].array ?? []).compactMap(FieldRead.init(json:))
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
        var byPair: [String: [String: Contract.Interaction]] = [:]
        for read in reads {
            let pair = "\(read.consumer)|\(read.provider)"
            let key = "\(read.route)|\(read.status)"
            var interaction = byPair[pair]?[key] ?? Contract.Interaction(route: read.route, status: read.status, fields: [])
            var fields = Dictionary(uniqueKeysWithValues: interaction.fields.map { ($0.path, $0) })
            for field in read.fields {
                if fields[field.path] == nil { fields[field.path] = field } else { fields[field.path]!.merge(field) }
            }
            interaction.fields = fields.values.sorted()
            interaction.refusedFields = Array(Set(interaction.refusedFields + read.refusedFields)).sorted()
            interaction.view = interaction.view ?? read.view
            interaction.requestSent = Array(Set(interaction.requestSent).union(read.requestSent)).sorted()
            var provided = Dictionary(uniqueKeysWithValues: interaction.requestRead.map { ($0.path, $0) })
            for field in read.requestRead ?? [] {
                if provided[field.path] == nil { provided[field.path] = field } else { provided[field.path]!.merge(field) }
            }
            interaction.requestRead = provided.values.sorted()
            let readPaths = fields.keys
            let offered = Set(interaction.unreadFields).union(read.offered)
            interaction.unreadFields = offered.filter { path in
                !readPaths.contains { $0 == path || $0.hasPrefix(path + ".") || $0.hasPrefix(path + "[]") }
            }.sorted()
            byPair[pair, default: [:]][key] = interaction
        }
        self.init(byPair.map { pair, interactions in
            let names = pair.split(separator: "|").map(String.init)
            return Contract(consumer: ServiceName(names[0]), provider: ServiceName(names[1]), interactions: Array(interactions.values))
        })
    }

    public func contract(_ consumer: ServiceName, _ provider: ServiceName) -> Contract? {
        contracts.first { $0.consumer == consumer && $0.provider == provider }
    }

    /// Reads every `*.json` of a directory; none when it does not exist.
    public static func load(from directory: String) throws -> ContractBook {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return ContractBook([]) }
        return ContractBook(try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
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
        for contract in contracts {
            try (contract.json.pretty + "\n").write(toFile: "\(directory)/\(contract.fileName)", atomically: true, encoding: .utf8)
        }
        return contracts.map(\.fileName)
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
        self.init(path: path, required: json["required"].bool ?? false, types: Set(json["types"].strings),
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
                return "{\n" + object.keys.sorted().map { "\(inner)\(JSON.string($0)): \(render(object[$0]!, inner))" }
                    .joined(separator: ",\n") + "\n\(indent)}"
            default:
                return value.description
            }
        }
        return render(self, "")
    }
}
