import GRDB
import HarnessContracts
import HarnessCore

/// A service as a stack runs it: something that answers a request, and what else it can tell the harness.
///
/// Only ``name`` and ``respond(to:)`` are required. Every other member is a capability a feature uses
/// when the service has it: ``routes`` for edge coverage, fault rules and call trees, ``consumes`` for
/// the routes edge coverage expects exercised, ``document`` for checking every answer, ``database`` for
/// tests that assert on what was stored, ``access`` for the trust report. A Hummingbird app is one
/// through ``HummingbirdService``; a server on anything else, through a type of its own.
public protocol StackService: Sendable {
    var name: ServiceName { get }
    /// Answers one request, bytes in and bytes out, with no socket: the in-memory transport and the
    /// gateway of a served stack both call it.
    func respond(to request: ServiceRequest) async throws -> ServiceResponse
    /// Every route it serves, as it declares them (`GET /cards/{id}`).
    var routes: [Route] { get }
    /// The routes of other services it calls.
    var consumes: [PeerRoute] { get }
    /// Who may call it: anyone, or route by route, only the services named.
    var access: ServiceAccess { get }
    /// What it promises each route answers: the harness checks every answer on every hop against it.
    var document: APIDocument? { get }
    /// Its own database, for a test to read what it stored.
    var database: (any DatabaseWriter)? { get }
    /// What the service runs beside its requests (a Hummingbird app's `services`) until its task is
    /// cancelled; the stack starts it when it boots and cancels it when it goes. Nil for none.
    var background: (@Sendable () async throws -> Void)? { get }
}

extension StackService {
    public var routes: [Route] { [] }
    public var consumes: [PeerRoute] { [] }
    public var access: ServiceAccess { .publicAPI }
    public var document: APIDocument? { nil }
    public var database: (any DatabaseWriter)? { nil }
    public var background: (@Sendable () async throws -> Void)? { nil }

    /// Its routes, each named with the service: what edges and fault rules compare with.
    var peerRoutes: [PeerRoute] { routes.map { PeerRoute(name, $0.method, $0.template) } }
}

extension Sequence<any StackService> {
    /// Each service's document, by the service's name, for the services that have one.
    var documentsByName: [ServiceName: APIDocument] {
        Dictionary(uniqueKeysWithValues: compactMap { service in service.document.map { (service.name, $0) } })
    }
}
