extension SystemCatalog {
    /// Where a system's trust declarations and its code disagree: an internal service's route that its
    /// access list does not name (any service holding the key would reach it), an entry that names no
    /// route, and a consumer calling a route its provider does not let it call (it would be refused).
    public var accessProblems: [String] {
        var problems: [String] = []
        for (service, access) in access.sorted(by: { $0.key < $1.key }) {
            guard case .internalOnly(let listed) = access else { continue }
            let served = (routes[service] ?? []).filter { !["GET /health", "GET /openapi.json"].contains($0.route.description) }
            for route in served where !listed.contains(where: { $0.names(route) }) {
                problems.append("\(route) is not in \(service)'s access list: any service holding the key reaches it")
            }
            for entry in listed where !served.contains(where: entry.names) {
                problems.append("\(service)'s access list names \(entry.route), which \(service) does not serve")
            }
        }
        for (consumer, called) in consumes.sorted(by: { $0.key < $1.key }) {
            for route in called {
                guard case .internalOnly(let listed)? = access[route.provider] else { continue }
                let entry = listed.first { $0.names(route) }
                if let entry, !entry.callers.contains(consumer) {
                    problems.append(
                        "\(consumer) calls \(route), which \(route.provider) lets only \(entry.callers.map(\.rawValue).sorted().joined(separator: ", ")) call"
                    )
                }
            }
        }
        return problems
    }
}
