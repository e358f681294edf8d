import Foundation
import HarnessContracts
import HarnessCore

/// What the acceptance run did with the routes between services.
///
/// It lists every consumer → provider route → statuses seen; the routes a provider declares that no
/// consumer and no test called; the statuses a provider answered on a route that the route's consumers
/// never saw; and the routes a consumer's clients declare that the run never exercised, which the gate
/// refuses.
public struct EdgeReport: Sendable {
    public struct Seen: Sendable {
        public var consumer: ServiceName?
        public var provider: ServiceName
        public var route: String
        public var statuses: [Int]
    }

    public var seen: [Seen]
    public var uncalledRoutes: [PeerRoute]
    /// `fraud POST /checks 400: payments never saw it` — a status a provider answered that a consumer never handled.
    public var unseenStatuses: [String]
    /// `payments → fraud POST /underwriting` — a route a consumer's clients declare that no acceptance test exercised.
    public var unexercised: [String]

    /// - Parameters:
    ///   - observed: the edges of the run.
    ///   - catalog: what each service declares and consumes.
    public init(observed: [Edge], catalog: SystemCatalog) {
        let grouped = Dictionary(grouping: observed) { "\($0.consumer?.rawValue ?? "")|\($0.provider)|\($0.route)" }
        seen = grouped.values.map { edges in
            Seen(
                consumer: edges[0].consumer, provider: edges[0].provider, route: edges[0].route,
                statuses: Set(edges.compactMap(\.status)).sorted())
        }.sorted { ($0.consumer?.rawValue ?? "~", $0.provider.rawValue, $0.route) < ($1.consumer?.rawValue ?? "~", $1.provider.rawValue, $1.route) }
        let called = Set(observed.map { "\($0.provider) \($0.route)" })
        uncalledRoutes = catalog.routes.values.flatMap { $0 }.filter { !called.contains($0.description) }.sorted { $0.description < $1.description }
        var unseen: [String] = []
        for (key, edges) in Dictionary(grouping: observed, by: { "\($0.provider) \($0.route)" }).sorted(by: { $0.key < $1.key }) {
            let answered = Set(edges.compactMap(\.status))
            let consumers = Set(edges.compactMap(\.consumer))
            for consumer in consumers.sorted() {
                let saw = Set(edges.filter { $0.consumer == consumer }.compactMap(\.status))
                for status in answered.subtracting(saw).sorted() {
                    unseen.append("\(key) \(status): \(consumer) never saw it")
                }
            }
        }
        unseenStatuses = unseen
        unexercised = catalog.consumes.sorted { $0.key < $1.key }.flatMap { consumer, routes in
            routes.filter { route in
                !observed.contains { $0.consumer == consumer && $0.provider == route.provider && $0.route == route.route.description }
            }
            .map { "\(consumer) → \($0)" }
        }
    }

    public var text: String {
        var lines = ["edges (consumer → provider route: statuses seen):"]
        lines += seen.map {
            "  \($0.consumer?.rawValue ?? "test") → \($0.provider) \($0.route): \($0.statuses.map(String.init).joined(separator: ", "))"
        }
        lines.append("provider routes no consumer and no test called: \(uncalledRoutes.isEmpty ? "none" : "")")
        lines += uncalledRoutes.map { "  \($0)" }
        lines.append("statuses a provider answered that a consumer of the route never saw: \(unseenStatuses.isEmpty ? "none" : "")")
        lines += unseenStatuses.map { "  \($0)" }
        lines.append("client routes the acceptance suites never exercised: \(unexercised.isEmpty ? "none" : "")")
        lines += unexercised.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }

    public var json: JSON {
        [
            "seen": .array(
                seen.map {
                    [
                        "consumer": $0.consumer.map { .string($0.rawValue) } ?? .null, "provider": .string($0.provider.rawValue),
                        "route": .string($0.route), "statuses": .array($0.statuses.map { .number(Double($0)) }),
                    ]
                }),
            "uncalled_routes": .array(uncalledRoutes.map { .string($0.description) }),
            "unseen_statuses": .array(unseenStatuses.map(JSON.string)),
            "unexercised_client_routes": .array(unexercised.map(JSON.string)),
        ]
    }
}

/// What the services of a system declare: their own routes, and the routes of others they call.
public struct SystemCatalog: Sendable {
    public var routes: [ServiceName: [PeerRoute]]
    public var consumes: [ServiceName: [PeerRoute]]
    public var access: [ServiceName: ServiceAccess]
    /// Each service's OpenAPI document, for the services that have one.
    public var documents: [ServiceName: APIDocument] = [:]

    public init(routes: [ServiceName: [PeerRoute]], consumes: [ServiceName: [PeerRoute]], access: [ServiceName: ServiceAccess] = [:]) {
        self.routes = routes
        self.consumes = consumes
        self.access = access
    }

    /// Builds each service once, in memory, and reads its router and its clients' routes.
    public init(_ system: SystemUnderTest) throws {
        let stack = try Stack.inMemory(system, contracts: .none)  // only the routers are read
        let services = try system.names.map { try stack.requireInProcess("reading routes").services[$0]! }
        routes = Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0.peerRoutes) })
        consumes = Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0.consumes) })
        access = Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0.access) })
        documents = services.documentsByName
    }
}
