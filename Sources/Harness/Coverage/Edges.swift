import Foundation
import HarnessContracts
import HarnessCore
import NIOCore
import Synchronization

/// One hop as coverage counts it: who called which provider route, and what status came back.
public struct Edge: Hashable, Sendable, Comparable {
    /// The calling service; nil for a test or merchant outside the stack.
    public var consumer: ServiceName?
    public var provider: ServiceName
    /// The route as the provider declares it (`GET /cards/{id}`), or the bare path when none matches.
    public var route: String
    public var status: Int?

    public var json: JSON {
        [
            "consumer": consumer.map { .string($0.rawValue) } ?? .null, "provider": .string(provider.rawValue),
            "route": .string(route), "status": status.map { .number(Double($0)) } ?? .null,
        ]
    }

    public init(consumer: ServiceName?, provider: ServiceName, route: String, status: Int?) {
        self.consumer = consumer
        self.provider = provider
        self.route = route
        self.status = status
    }

    init?(_ json: JSON) {
        guard let provider = json["provider"].string, let route = json["route"].string else { return nil }
        self.init(
            consumer: json["consumer"].string.map { ServiceName($0) }, provider: ServiceName(provider), route: route,
            status: json["status"].int)
    }

    public static func < (a: Edge, b: Edge) -> Bool {
        (a.consumer?.rawValue ?? "", a.provider.rawValue, a.route, a.status ?? 0) < (
            b.consumer?.rawValue ?? "", b.provider.rawValue, b.route, b.status ?? 0
        )
    }
}

extension Stack {
    /// Every exchange so far as an edge, each path read as the provider's declared route.
    public func edges() throws -> [Edge] {
        let inProcess = try requireInProcess("reading edges")
        let routes = inProcess.services.mapValues(\.peerRoutes)
        return inProcess.hops.exchanges.map { exchange in
            let declared = routes[exchange.callee]?.route(for: exchange.method, exchange.path, by: \.route)
            return Edge(
                consumer: exchange.caller, provider: exchange.callee, route: declared?.route.description ?? exchange.route,
                status: exchange.status)
        }
    }

    /// Appends this stack's edges to the configuration's `edgesFile`, one JSON object a line, when set:
    /// how `harness coverage` collects the edges of a whole acceptance run.
    func recordEdges() {
        guard let file = configuration.edgesFile, let edges = try? edges() else { return }
        RunFile.append(edges.map { String(buffer: $0.json.encoded()) + "\n" }.joined(), to: file)
    }
}

/// The files a test process appends to for `harness coverage` and `harness contracts record`; tests of
/// one process finish in parallel, so appends are serialized.
enum RunFile {
    static let lock = Mutex(())

    static func append(_ text: String, to path: String) {
        guard !text.isEmpty else { return }
        lock.withLock { _ in
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        }
    }
}

public enum EdgeFile {

    /// The edges a run wrote into `HarnessConfiguration.edgesFile`.
    public static func read(_ path: String) throws -> [Edge] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { try? JSON(parsing: ByteBuffer(string: String($0))) }.compactMap(Edge.init)
    }
}
