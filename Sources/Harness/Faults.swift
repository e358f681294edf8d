import Foundation
import HTTPTypes
import HarnessContracts
import HarnessCore
import NIOCore
import Synchronization

/// What an injected fault does to a hop.
public enum Fault: Sendable, Equatable, CustomStringConvertible {
    /// The request waits this long, then goes through.
    case latency(Duration)
    /// No answer: after this long the caller's transport gives up (`HopFailure.timedOut`); the callee never sees the request.
    case timeout(after: Duration)
    /// The callee handles the request, but its answer is lost to a reset connection (`HopFailure.connectionReset`).
    case connectionReset
    /// The callee is not reached; the hop answers this status with an error body, as a failing proxy or server would.
    case status(Int)
    /// The callee answers, and only the first half of its body arrives (`Content-Length` follows it).
    case truncatedBody
    /// The callee answers, and its body arrives as bytes that are not JSON.
    case garbledBody
    /// The callee answers, and its body arrives this much later.
    case slowBody(Duration)
    /// The callee answers as if it had renamed a field (every key `from`, at any depth, comes as `to`):
    /// drift made in flight, to prove a check catches it without rebuilding the provider.
    case renamedField(from: String, to: String)

    public var description: String {
        switch self {
        case .latency(let duration): "latency \(duration)"
        case .timeout(let duration): "timeout after \(duration)"
        case .connectionReset: "connection reset"
        case .status(let code): "status \(code)"
        case .truncatedBody: "truncated body"
        case .garbledBody: "garbled body"
        case .slowBody(let duration): "slow body \(duration)"
        case .renamedField(let from, let to): "field \(from) renamed \(to)"
        }
    }
}

/// A hop that failed in transit, as a transport reports it, in words a reader acts on: a refused
/// connection is called refused (nothing listens there), not reset (something answered, then dropped it).
public struct HopFailure: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        case timedOut, connectionReset, connectionRefused
        /// No connection for another reason, said as the system says it ("no route to host").
        case connectionFailed(String)
    }
    public var kind: Kind
    public var route: String

    public init(kind: Kind, route: String) {
        self.kind = kind
        self.route = route
    }

    /// What happened, without the route: "connection refused".
    public var reason: String {
        switch kind {
        case .timedOut: "timed out"
        case .connectionReset: "connection reset"
        case .connectionRefused: "connection refused"
        case .connectionFailed(let reason): reason
        }
    }

    public var description: String {
        switch kind {
        case .timedOut: "\(route) timed out"
        case .connectionReset: "the connection of \(route) was reset"
        case .connectionRefused: "the connection of \(route) was refused"
        case .connectionFailed(let reason): "\(route) could not connect: \(reason)"
        }
    }
}

/// Which hops a fault hits: by callee, and optionally caller, route, the Nth matching call, or a probability.
public struct FaultRule: Sendable, CustomStringConvertible {
    public var callee: ServiceName
    public var caller: ServiceName?
    /// A route as the callee declares it (`GET /cards/{id}`), or a concrete one (`GET /cards/card_1`); nil for every route.
    public var route: Route?
    /// Only the Nth matching call (1 for the first).
    public var nth: Int?
    /// Each matching call is hit with this probability, drawn from the injector's seed.
    public var probability: Double?
    public var fault: Fault
    /// The callee's declared routes, once the rule is checked against them (`check(against:)`), so a call
    /// a more specific declared route claims is not on the rule's route (`GET /cards/new` is not on `GET /cards/{id}`).
    var declared: [Route] = []

    public init(
        _ fault: Fault, into callee: ServiceName, from caller: ServiceName? = nil, route: Route? = nil,
        nth: Int? = nil, probability: Double? = nil
    ) {
        (self.fault, self.callee, self.caller, self.route, self.nth, self.probability) = (fault, callee, caller, route, nth, probability)
    }

    func matches(_ request: ServiceRequest) -> Bool {
        request.callee == callee && (caller == nil || request.caller == caller)
            && (route.map { request.isOn($0, among: declared) } ?? true)
    }

    public var description: String {
        var text = "\(fault) into \(callee)"
        if let caller { text += " from \(caller)" }
        if let route { text += " on \(route)" }
        if let nth { text += ", call \(nth)" }
        if let probability { text += ", p=\(probability)" }
        return text
    }
}

extension FaultRule {
    /// Why the rule can never hit a hop of a system whose services declare `routes`: a callee or caller
    /// the system does not have, or a route its callee does not declare. Nil when it can, and the rule
    /// keeps its callee's routes to match calls by. Such a rule would leave every hop alone, and a run
    /// meant to show the system under faults would pass unfaulted.
    public mutating func check(against routes: [ServiceName: [PeerRoute]]) -> String? {
        let names = routes.keys.map(\.rawValue).sorted().joined(separator: ", ")
        guard let declared = routes[callee]?.map(\.route) else { return "callee \(callee) is not a service of this stack; it has \(names)" }
        if let caller, routes[caller] == nil { return "caller \(caller) is not a service of this stack; it has \(names)" }
        if let route, !declared.contains(where: { $0.matches(route.method, route.template) }) {
            return "\(callee) has no route \(route); its routes are \(declared.map(\.description).sorted().joined(separator: ", "))"
        }
        self.declared = declared
        return nil
    }
}

extension ServiceRequest {
    /// Whether the request is on `route` (declared, or a concrete path), among its callee's `declared` routes.
    func isOn(_ route: Route, among declared: [Route]) -> Bool {
        route.claims(head.method, head.path ?? "/", among: declared)
    }
}

/// A fault that hit a hop: which rule, which call, what it did.
public struct InjectedFault: Sendable, Equatable, CustomStringConvertible {
    public var rule: Int
    public var caller: ServiceName?
    public var route: String
    public var fault: Fault
    public var description: String { "\(fault) on \(caller?.rawValue ?? "client") → \(route) (rule \(rule + 1))" }
}

/// Makes chosen hops slow, fail or lie: a transport middleware, so it works the same in memory, over
/// loopback and when served (`harness serve --faults FILE`).
///
/// Probabilistic rules draw from `seed`, each rule from its own stream, so the same seed hits the same
/// calls of each rule in the same order (calls a test makes one after another). Waits go through
/// `sleep`: the stack's clock in memory, so a 30-second latency costs no wall time, and the real clock
/// over HTTP.
public final class FaultInjector: TransportMiddleware {
    let sleep: @Sendable (Duration) async throws -> Void
    private let state: Mutex<(seed: UInt64, rules: [FaultRule], calls: [Int], streams: [UInt64], injected: [InjectedFault])>

    /// - Parameters:
    ///   - rules: the faults to inject, each with the hops it applies to.
    ///   - seed: nil draws one (printed with the first probabilistic rule); a printed one replays a run.
    ///   - sleep: how a wait passes: the stack's clock in memory, the real clock over HTTP.
    public init(rules: [FaultRule] = [], seed: UInt64? = nil, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        let seed = seed ?? UInt64.random(in: 0 ... .max)
        self.sleep = sleep
        state = Mutex((seed, [], [], [], []))
        rules.forEach(add)
    }

    /// What probabilistic rules draw from.
    public var seed: UInt64 { state.withLock { $0.seed } }

    /// Draws from `seed` from now on, every rule from the start of its stream: to replay a printed seed.
    public func reseed(_ seed: UInt64) {
        state.withLock { state in
            state.seed = seed
            state.streams = state.rules.indices.map { Self.stream(seed, $0) }
        }
    }

    /// Adds a rule; a probabilistic one prints the seed that replays it.
    public func add(_ rule: FaultRule) {
        let (index, seed) = state.withLock { state in
            state.streams.append(Self.stream(state.seed, state.rules.count))
            state.rules.append(rule)
            state.calls.append(0)
            return (state.rules.count, state.seed)
        }
        if rule.probability != nil { print("harness: fault rule \(index) (\(rule)) draws from seed \(seed); HARNESS_FAULT_SEED=\(seed) replays it") }
    }

    static func stream(_ seed: UInt64, _ rule: Int) -> UInt64 { seed &+ UInt64(rule + 1) &* 0xD1B5_4A32_D192_ED03 }

    /// Every fault injected so far, in order.
    public var injected: [InjectedFault] { state.withLock { $0.injected } }

    public func handle(
        _ request: ServiceRequest,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        guard let (index, fault) = choose(request) else { return try await next(request) }
        // A wait as long as the caller's timeout ends in the caller giving up, after its timeout.
        func wait(_ duration: Duration) async throws {
            if let limit = request.timeout, duration >= limit {
                try await sleep(limit)
                throw HopFailure(kind: .timedOut, route: request.route)
            }
            try await sleep(duration)
        }
        switch fault {
        case .latency(let duration):
            try await wait(duration)
            return try await next(request)
        case .timeout(let duration):
            try await wait(duration)
            throw HopFailure(kind: .timedOut, route: request.route)
        case .connectionReset:
            _ = try await next(request)
            throw HopFailure(kind: .connectionReset, route: request.route)
        case .status(let code):
            return .problem(HTTPResponse.Status(code: code), "Fault injected by the harness (rule \(index + 1)).")
        case .truncatedBody:
            var response = try await next(request)
            response.body = response.body.getSlice(at: response.body.readerIndex, length: response.body.readableBytes / 2) ?? ByteBuffer()
            return response
        case .garbledBody:
            var response = try await next(request)
            response.body = ByteBuffer(string: "\u{1}garbled\u{0}<html>")
            return response
        case .slowBody(let duration):
            let response = try await next(request)
            try await wait(duration)
            return response
        case .renamedField(let from, let to):
            return try await next(request).rewritingJSON { $0 = $0.renamingKey(from, to: to) }
        }
    }

    /// The first rule that hits this call, counted and drawn under one lock. Every matching rule counts
    /// the call, so `nth` is the Nth call on the rule's hops whichever rule hit the calls before it.
    func choose(_ request: ServiceRequest) -> (Int, Fault)? {
        state.withLock { state in
            let matching = state.rules.indices.filter { state.rules[$0].matches(request) }
            for index in matching { state.calls[index] += 1 }
            for index in matching {
                let rule = state.rules[index]
                if let nth = rule.nth, state.calls[index] != nth { continue }
                if let probability = rule.probability {
                    state.streams[index] &+= 0x9E37_79B9_7F4A_7C15
                    guard Self.unit(state.streams[index]) < probability else { continue }
                }
                state.injected.append(
                    InjectedFault(rule: index, caller: request.caller, route: "\(request.callee) \(request.route)", fault: rule.fault))
                return (index, rule.fault)
            }
            return nil
        }
    }

    /// SplitMix64's output for a stream position, as a number in [0, 1).
    static func unit(_ position: UInt64) -> Double {
        var z = position
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

extension FaultInjector {
    /// Rules and seed from a faults file (`harness serve --faults FILE`):
    /// `{"seed": 42, "rules": [{"callee": "fraud", "caller": "payments", "route": "POST /checks", "nth": 2,
    /// "probability": 0.5, "fault": {"status": 503}}]}`. A fault is `"connection-reset"`, `"truncated-body"`,
    /// `"garbled-body"`, or one of `{"latency_ms": N}`, `{"timeout_ms": N}`, `{"slow_body_ms": N}`, `{"status": N}`.
    public static func rules(fromFile json: JSON) throws -> (rules: [FaultRule], seed: UInt64?) {
        guard let object = json.object else { throw HarnessError("a faults file is a JSON object with \"rules\"") }
        let unknown = Set(object.keys).subtracting(["seed", "rules"])
        guard unknown.isEmpty else { throw HarnessError("a faults file has no field \(unknown.sorted().joined(separator: ", "))") }
        var seed: UInt64?
        if let value = object["seed"] {
            guard let number = value.number, number >= 0, let exact = UInt64(exactly: number) else {
                throw HarnessError("\"seed\" must be a whole number ≥ 0")
            }
            seed = exact
        }
        guard let rules = object["rules"]?.array else { throw HarnessError("a faults file needs \"rules\", a list") }
        return (
            try rules.enumerated().map { index, rule in
                do { return try FaultRule(json: rule) } catch let error as HarnessError {
                    throw HarnessError("rule \(index + 1): \(error.description)")
                }
            }, seed
        )
    }
}

extension FaultRule {
    init(json: JSON) throws {
        guard let object = json.object else { throw HarnessError("a rule is an object") }
        let unknown = Set(object.keys).subtracting(["callee", "caller", "route", "nth", "probability", "fault"])
        guard unknown.isEmpty else { throw HarnessError("no field \(unknown.sorted().joined(separator: ", "))") }
        guard let callee = object["callee"]?.string, !callee.isEmpty else { throw HarnessError("\"callee\" (a service name) is required") }
        let route = try object["route"].map { json in
            guard let route = json.string.flatMap(Route.init) else { throw HarnessError("\"route\" is a method and a path, like \"POST /checks\"") }
            return route
        }
        if let nth = object["nth"], (nth.int ?? 0) < 1 { throw HarnessError("\"nth\" is a call number from 1") }
        if let probability = object["probability"], !(0...1).contains(probability.number ?? -1) {
            throw HarnessError("\"probability\" is a number from 0 to 1")
        }
        self.init(
            try Fault(json: object["fault"] ?? .null), into: ServiceName(callee), from: object["caller"]?.string.map { ServiceName($0) },
            route: route, nth: object["nth"]?.int, probability: object["probability"]?.number)
    }
}

extension Fault {
    /// A fault as a faults file writes it: `"connection-reset"`, `{"latency_ms": 200}`, `{"rename": {"a": "b"}}`.
    public init(json: JSON) throws {
        switch json {
        case "connection-reset": self = .connectionReset
        case "truncated-body": self = .truncatedBody
        case "garbled-body": self = .garbledBody
        case .object(let object) where object.count == 1 && object["rename"] != nil:
            guard let renames = object["rename"]?.object, renames.count == 1, let (from, to) = renames.first.map({ ($0.key, $0.value.string) }),
                let to, !from.isEmpty, !to.isEmpty
            else {
                throw HarnessError("\"rename\" takes one field and its new name: {\"rename\": {\"csc_check\": \"security_code_check\"}}")
            }
            self = .renamedField(from: from, to: to)
        case .object(let object) where object.count == 1:
            let (name, value) = object.first!
            guard let number = value.int, number >= 0 else { throw HarnessError("\"\(name)\" takes a whole number") }
            switch name {
            case "latency_ms": self = .latency(.milliseconds(number))
            case "timeout_ms": self = .timeout(after: .milliseconds(number))
            case "slow_body_ms": self = .slowBody(.milliseconds(number))
            case "status" where (400...599).contains(number): self = .status(number)
            case "status": throw HarnessError("\"status\" is an error status, 400 to 599")
            default: throw HarnessError("no fault \"\(name)\"")
            }
        default:
            throw HarnessError(
                "\"fault\" is \"connection-reset\", \"truncated-body\", \"garbled-body\", {\"latency_ms\"|\"timeout_ms\"|\"slow_body_ms\"|\"status\": N}, or {\"rename\": {\"FIELD\": \"NEW\"}}"
            )
        }
    }
}
