import Foundation
import HarnessContracts

/// A recorded contract as a Pact V4 file, so a team can verify its providers with Pact's own tools.
///
/// Each interaction expects exactly the response fields the consumer read, with a type matcher on
/// each (a regex of the accepted values for an enum, `null` allowed for a field that came as null).
/// An optional field that never came is left out (Pact has no optional matcher), and so is one that
/// only ever came as null: the run never saw its type.
extension Contract {
    public func pact(states: [ProviderState]) throws -> JSON {
        [
            "consumer": ["name": .string(consumer.rawValue)],
            "provider": ["name": .string(provider.rawValue)],
            "interactions": .array(
                try interactions.map { interaction in
                    guard let example = interaction.example else {
                        throw HarnessError("\(consumer) → \(provider) \(interaction.route) \(interaction.status) has no recorded call to export")
                    }
                    guard let route = Route(interaction.route) else {
                        throw HarnessError("\(consumer) → \(provider) \(interaction.route) is not a method and a path")
                    }
                    let state = states.first { $0.applies(to: provider, interaction.route, status: interaction.status) }
                    var pact: [String: JSON] = [
                        "type": "Synchronous/HTTP",
                        "description": .string("\(consumer) calls \(interaction.route) and reads its \(interaction.status)"),
                        "request": PactRequest(example, route: route, state: state).json,
                        "response": Self.pactResponse(interaction, example),
                    ]
                    if let state {
                        pact["providerStates"] = [
                            [
                                "name": .string(state.name),
                                "params": .object(PactRequest.params(example, route: route).mapValues(JSON.string)),
                            ]
                        ]
                    }
                    return .object(pact)
                }),
            "metadata": ["pactSpecification": ["version": "4.0"]],
        ]
    }

    static func pactResponse(_ interaction: Interaction, _ example: Example) -> JSON {
        var response: [String: JSON] = ["status": .number(Double(interaction.status))]
        var body = JSON.null
        var rules: [String: JSON] = [:]
        let paths = interaction.fields.map(\.path)
        for field in interaction.fields {
            let steps = JSONPath(field.path).components
            for end in steps.indices where steps[end] == .element {
                rules[Self.pactPath(steps[..<end])] = ["combine": "AND", "matchers": [["match": "type", "min": 0]]]
            }
            let isContainer = paths.contains { $0.hasPrefix(field.path + ".") || $0.hasPrefix(field.path + "[]") }
            guard !isContainer, let value = example.values[field.path], !value.isNull else { continue }
            body = body.inserting(value, at: steps[...])
            rules[Self.pactPath(steps[...])] = matchers(field)
        }
        if !body.isNull {
            response["body"] = ["content": body, "contentType": "application/json", "encoded": false]
            response["matchingRules"] = ["body": .object(rules)]
        }
        return .object(response)
    }

    /// A field as Pact's matching rules name it: `$.debits[*].amount`.
    static func pactPath(_ steps: ArraySlice<JSONPath.Component>) -> String {
        steps.reduce("$") { path, step in
            switch step {
            case .element: return path + "[*]"
            case .index(let index): return path + "[\(index)]"
            case .key(let key) where key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }): return path + "." + key
            case .key(let key): return path + "['" + key + "']"
            }
        }
    }

    /// The type that came (or one of the values the view accepts), or null where null came too.
    static func matchers(_ field: FieldRead) -> JSON {
        let typed: JSON =
            field.accepts.map { values in
                ["match": "regex", "regex": .string("^(" + values.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + ")$")]
            } ?? ["match": "type"]
        if field.types.contains("null") { return ["combine": "OR", "matchers": [typed, ["match": "null"]]] }
        return ["combine": "AND", "matchers": [typed]]
    }
}

/// The recorded call as a Pact request: the provider state's values replace the run's ids.
struct PactRequest {
    let example: Example
    let route: Route
    let state: ProviderState?

    init(_ example: Example, route: Route, state: ProviderState?) {
        self.example = example
        self.route = route
        self.state = state
    }

    var json: JSON {
        let (path, query) = Self.split(example.path)
        var request: [String: JSON] = ["method": .string(example.method), "path": .string(path)]
        if !query.isEmpty { request["query"] = .object(query.mapValues { .array($0.map(JSON.string)) }) }
        var headers = example.headers
        if let body = example.body {
            headers["content-type"] = "application/json"
            request["body"] = ["content": body, "contentType": "application/json", "encoded": false]
        }
        if !headers.isEmpty { request["headers"] = .object(headers.mapValues { [.string($0)] }) }
        if let state {
            var generators: [String: JSON] = [:]
            if state.provides.contains(where: { route.parameterNames.contains($0) }) {
                var expression = route.template
                for (name, value) in Self.params(example, route: route) where !state.provides.contains(name) {
                    expression = expression.replacingOccurrences(of: "{\(name)}", with: value)
                }
                for name in state.provides { expression = expression.replacingOccurrences(of: "{\(name)}", with: "${\(name)}") }
                generators["path"] = ["type": "ProviderState", "expression": .string(expression), "dataType": "STRING"]
            }
            let headerGenerators = state.provides.filter { headers[$0] != nil }.map { name in
                (name, ["type": "ProviderState", "expression": .string("${\(name)}"), "dataType": "STRING"] as JSON)
            }
            if !headerGenerators.isEmpty { generators["header"] = .object(Dictionary(uniqueKeysWithValues: headerGenerators)) }
            let bodyGenerators = state.provides.filter { example.body?[$0] != nil && example.body?[$0] != .null }.map { name in
                ("$.\(name)", ["type": "ProviderState", "expression": .string("${\(name)}"), "dataType": "STRING"] as JSON)
            }
            if !bodyGenerators.isEmpty { generators["body"] = .object(Dictionary(uniqueKeysWithValues: bodyGenerators)) }
            if !generators.isEmpty { request["generators"] = .object(generators) }
        }
        return .object(request)
    }

    /// What a provider state is given: the call's headers and its path parameters (`id` of `/cards/{id}`).
    static func params(_ example: Example, route: Route) -> [String: String] {
        let parameters = route.parameters(in: example.path) ?? [:]
        return example.headers.merging(parameters.mapValues { $0.removingPercentEncoding ?? $0 }) { _, parameter in parameter }
    }

    static func split(_ target: String) -> (path: String, query: [String: [String]]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: [String]] = [:]
        for pair in (parts.count > 1 ? parts[1] : "").split(separator: "&") {
            let item = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            query[item[0], default: []].append(item.count > 1 ? item[1] : "")
        }
        return (String(parts[0]), query)
    }
}

extension JSON {
    /// This document with `value` at the steps, an array's single element standing for all of them.
    func inserting(_ value: JSON, at steps: ArraySlice<JSONPath.Component>) -> JSON {
        guard let step = steps.first else { return value }
        switch step {
        case .key(let key):
            var object = self.object ?? [:]
            object[key] = (object[key] ?? .null).inserting(value, at: steps.dropFirst())
            return .object(object)
        case .element, .index:
            return .array([(array?.first ?? .null).inserting(value, at: steps.dropFirst())])
        }
    }
}
