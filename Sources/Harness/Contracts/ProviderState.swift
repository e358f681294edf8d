import Hummingbird
import ServiceKit

/// Data an interaction of a Pact assumes the provider holds — "a card is stored" — made through the
/// services' own APIs when the Pact verifier asks (`harness serve --provider-states`).
///
/// The state answers the values the replayed request needs in place of the recorded run's (a card's
/// id for `{id}` in the path, a merchant's `authorization` header), so the exported Pact asks for them
/// with Pact's provider-state generators.
public struct ProviderState: Sendable {
    public typealias SetUp = @Sendable (_ params: [String: String], _ client: ServiceClient) async throws -> [String: String]

    public let name: String
    public let provider: ServiceName
    /// The provider's routes whose successful answers need it: `GET /cards/{id}`.
    public let routes: Set<String>
    /// The names of the values `setUp` answers: path parameters (`id`), request headers (`authorization`)
    /// or top-level fields of the request body (`card_id`).
    public let provides: [String]
    let setUp: SetUp

    /// - Parameters:
    ///   - name: the state as a Pact interaction names it ("a card is stored").
    ///   - provider: the service whose answers need it.
    ///   - routes: the provider's routes whose successful answers need it.
    ///   - provides: the names of the values `setUp` answers.
    ///   - setUp: gets the recorded call's headers (lowercased names) and path parameters, and a
    ///     client of the whole stack; answers a value for each name in `provides`.
    public init(_ name: String, provider: ServiceName, routes: Set<String>, provides: [String], setUp: @escaping SetUp) {
        self.name = name
        self.provider = provider
        self.routes = routes
        self.provides = provides
        self.setUp = setUp
    }

    public func applies(to provider: ServiceName, _ route: String, status: Int) -> Bool {
        provider == self.provider && routes.contains(route) && (200..<300).contains(status)
    }

    /// Makes the state and checks it answered every value it promises.
    func make(_ params: [String: String], client: ServiceClient) async throws -> [String: String] {
        let values = try await setUp(params, client)
        if let missing = provides.first(where: { values[$0] == nil }) {
            throw HarnessError("provider state \"\(name)\" answered no `\(missing)`")
        }
        return values
    }
}

/// A served stack's provider states, made through `client` when Pact's verifier asks.
///
/// The verifier posts `{"state": "a card is stored", "params": {…}, "action": "setup"}` before each
/// interaction that names a state, and uses the values answered in the request it replays.
public struct ProviderStates: Sendable {
    let states: [ProviderState]
    let client: ServiceClient

    /// - Parameters:
    ///   - states: the system's provider states.
    ///   - transport: the stack's, signing a call with its caller's credential, so a state can
    ///     reach an internal service as the service that calls it would.
    public init(_ states: [ProviderState], transport: any Transport) {
        self.states = states
        self.client = ServiceClient(caller: nil, transport: transport)
    }

    func answer(_ request: Request, context: ServiceRequestContext) async -> Response {
        do {
            guard request.method == .post else {
                throw ServiceError(.methodNotAllowed, "method-not-allowed", "Provider states are set up with POST.")
            }
            let body = try await request.json(context: context)
            guard let object = body.object else { throw ServiceError.invalidBody("The request body must be a JSON object.") }
            guard let name = object["state"]?.string else { throw ServiceError.invalidField("state", "is required") }
            guard object["action"]?.string != "teardown", !name.isEmpty else { return .json([:] as JSON) }
            guard let state = states.first(where: { $0.name == name }) else {
                throw ServiceError.invalidField("state", "is not one of: \(states.map(\.name).joined(separator: ", "))")
            }
            var params: [String: String] = [:]
            for (key, value) in object["params"]?.object ?? [:] { params[key] = value.string ?? value.description }
            do {
                let values = try await state.make(params, client: client)
                return .json(.object(values.mapValues(JSON.string)))
            } catch {
                throw ServiceError(.badGateway, "provider-state-failed", "Provider state \"\(name)\" could not be made: \(error)")
            }
        } catch let error as ServiceError {
            return Reply(error: error, requestID: context.id, service: "gateway").response
        } catch {
            return Reply(error: ServiceError.invalidBody("\(error)"), requestID: context.id, service: "gateway").response
        }
    }
}
