import Foundation
import Harness
import HarnessContracts
import HarnessCore
import Hummingbird
import Logging

/// How a stack runs a ServiceKit service: as any Hummingbird app, its router's responder hosted by the
/// engine, with what ServiceKit knows about it (the routes its clients call, who may call it, its
/// document, its database) handed over as the engine's optional capabilities.
extension ServiceApp {
    /// The service as a stack hosts it. With an `identity`, an internal service refuses every call that
    /// does not carry a credential of a caller its route allows; without one, it trusts its caller.
    public func hosted(identity: ServiceIdentity?, logger: Logger) -> HummingbirdService<RouterResponder<ServiceRequestContext>> {
        var service = HummingbirdService(name, router: router(identity: identity), logger: logger)
        service.consumes = consumes
        service.access = access
        service.document = apiDocument
        service.database = database.writer
        return service
    }
}

extension ServiceEnvironment {
    /// What a stack gives a ServiceKit service: its database in memory, or a file named for the
    /// service in the stack's data directory.
    public init(_ stack: StackEnvironment) {
        let file = stack.dataDirectory.map { DatabaseLocation.file($0.appendingPathComponent("\(stack.name).sqlite").path) }
        self.init(transport: stack.transport, database: file ?? .inMemory, clock: stack.clock, logger: stack.logger)
        readObserver = stack.readObserver
        sleep = stack.sleep
        dataDirectory = stack.dataDirectory
    }
}

extension SystemUnderTest {
    /// Builds a ServiceKit service from what the stack gives it.
    public typealias ServiceKitFactory = @Sendable (ServiceEnvironment) throws -> any ServiceApp

    /// A system of ServiceKit services, each hosted as a Hummingbird app.
    public init(_ services: KeyValuePairs<ServiceName, ServiceKitFactory>, providerStates: [ProviderState] = []) {
        self.init(
            services.map { name, make in
                (
                    name: name,
                    make: { environment in
                        try make(ServiceEnvironment(environment)).hosted(identity: environment.identity, logger: environment.logger)
                    }
                )
            }, providerStates: providerStates)
    }
}

extension InMemoryTransport {
    /// Hosts a ServiceKit service that trusts its callers: a service alone in its own unit tests.
    public func register(_ app: some ServiceApp) {
        register(app.hosted(identity: nil, logger: logger))
    }
}
