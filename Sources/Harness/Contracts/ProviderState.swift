import HarnessContracts
import HarnessCore

/// Data an interaction of a Pact assumes the provider holds — "a card is stored" — made through the
/// services' own APIs when the Pact verifier asks (`harness serve --provider-states`).
///
/// The state answers the values the replayed request needs in place of the recorded run's (a card's
/// id for `{id}` in the path, a merchant's `authorization` header), so the exported Pact asks for them
/// with Pact's provider-state generators.
public struct ProviderState: Sendable {
    public typealias SetUp = @Sendable (_ params: [String: String], _ transport: any Transport) async throws -> [String: String]

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
    ///   - setUp: gets the recorded call's headers (lowercased names) and path parameters, and the
    ///     stack's transport (a ``StackClient`` on it with a `caller` calls as that service); answers a
    ///     value for each name in `provides`.
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
    func make(_ params: [String: String], transport: any Transport) async throws -> [String: String] {
        let values = try await setUp(params, transport)
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
    let transport: any Transport

    /// - Parameters:
    ///   - states: the system's provider states.
    ///   - transport: the stack's, signing a call with its caller's credential, so a state can
    ///     reach an internal service as the service that calls it would.
    public init(_ states: [ProviderState], transport: any Transport) {
        self.states = states
        self.transport = transport
    }

    /// Answers the verifier's call: the values the state made, or a problem naming what was wrong.
    func answer(_ request: ServiceRequest) async -> ServiceResponse {
        guard request.head.method == .post else { return .problem(.methodNotAllowed, "Provider states are set up with POST.") }
        guard let object = (try? JSON(parsing: request.body))?.object else {
            return .problem(.badRequest, "The request body must be a JSON object.")
        }
        guard let name = object["state"]?.string else { return .problem(.badRequest, "state is required.") }
        guard object["action"]?.string != "teardown", !name.isEmpty else { return ServiceResponse(.ok, json: [:]) }
        guard let state = states.first(where: { $0.name == name }) else {
            return .problem(.badRequest, "state is not one of: \(states.map(\.name).joined(separator: ", ")).")
        }
        var params: [String: String] = [:]
        for (key, value) in object["params"]?.object ?? [:] { params[key] = value.string ?? value.description }
        do {
            return ServiceResponse(.ok, json: .object(try await state.make(params, transport: transport).mapValues(JSON.string)))
        } catch {
            return .problem(.badGateway, "Provider state \"\(name)\" could not be made: \(error)")
        }
    }
}
