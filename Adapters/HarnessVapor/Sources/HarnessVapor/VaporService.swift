import HTTPTypes
import Harness
import Vapor

/// A Vapor app as a stack runs it, as the team wrote it: its own `configure`, its own databases, its
/// own middleware.
///
/// In memory a request goes into the app's responder (its router and middleware, after `asyncBoot()`),
/// as Vapor's own in-memory tester sends it, and no socket is opened. Over loopback and served, the app
/// listens on a port of its own on 127.0.0.1 and the stack's gateway calls it there. Either way its
/// calls to peers (`req.client`, `app.client`) go through the stack by the peer's name, and what its
/// `Content` types decode of a peer's answer, or of a request, is recorded like any consumer's reads.
///
/// A stack lists every service's routes as it builds them, and a Vapor app is made asynchronously, so
/// the routes come as the team's `RouteCollection`: run once on a bare `Routes` for the list, then
/// registered on the app after `configure`. The app is made and booted on first use, and shut down
/// (`asyncShutdown`) when the stack goes.
///
/// ```swift
/// "shipping": { environment in
///     VaporService("shipping", environment: environment, routes: ShipmentRoutes(),
///                  consumes: [PeerRoute("catalog", .get, "/books/{isbn}")]) { app in
///         app.databases.use(.sqlite(.memory), as: .sqlite)
///         app.migrations.add(CreateShipment())
///         try await app.autoMigrate()
///     }
/// }
/// ```
public struct VaporService: StackService {
    public let name: ServiceName
    public let routes: [HarnessContracts.Route]
    /// The peers' routes it calls: what edge coverage expects exercised, and how a call's concrete path
    /// is named (`GET /books/{isbn}`) in the reads recorded of its answer.
    public let consumes: [PeerRoute]
    public var access: ServiceAccess = .publicAPI
    public var document: APIDocument?
    let host: VaporHost

    /// - Parameters:
    ///   - routes: every route the app serves.
    ///   - configure: the rest of the app's setup, as its own `configure(_:)` does it (databases,
    ///     migrations, middleware), without registering the routes.
    public init(
        _ name: ServiceName, environment: StackEnvironment, routes: some RouteCollection & Sendable, consumes: [PeerRoute] = [],
        configure: @escaping @Sendable (Application) async throws -> Void = { _ in }
    ) throws {
        let listed = Routes()
        try routes.boot(routes: listed)
        self.name = name
        self.routes = listed.all.map(\.template)
        self.consumes = consumes
        self.host = VaporHost(
            name: name, environment: environment, consumes: consumes, listed: self.routes,
            setUp: { app in
                try await configure(app)
                try app.register(collection: routes)
            })
    }

    public func respond(to request: ServiceRequest) async throws -> ServiceResponse {
        try await host.respond(to: request)
    }

    public var background: (@Sendable () async throws -> Void)? {
        // Runs until the stack goes, then shuts the app down.
        { [host] in
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            await host.shutDown()
        }
    }
}

extension Vapor.Route {
    /// The route as the harness names it: `POST /shipments/{id}` for Vapor's `/shipments/:id`.
    var template: HarnessContracts.Route {
        let path = self.path.map { component -> String in
            switch component {
            case .constant(let text): text
            case .parameter(let name): "{\(name)}"
            case .anything: "{*}"
            case .catchall: "{**}"
            }
        }
        return HarnessContracts.Route(HTTPRequest.Method(method.rawValue)!, "/" + path.joined(separator: "/"))
    }
}
