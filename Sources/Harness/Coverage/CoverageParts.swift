/// The parts coverage is reported and gated by: each service's layers and each module.
///
/// A file under `Sources/Services/<Service>/<Layer>/` belongs to `<Service>/<Layer>` (`Payments/Models`),
/// one directly in a service's folder (its `ServiceApp`) to `<Service>/App`, and any other file under
/// `Sources/<Module>/` to `<Module>` (ServiceKit, though under `Sources/Services`, is one part).
/// A service's row, `<Service>`, totals its layers.
public enum CoverageParts {
    /// Service folders whose files are not split by layer.
    public static let unlayered: Set<String> = ["ServiceKit"]

    public static func part(of path: String) -> String? {
        let components = path.split(separator: "/").map(String.init)
        guard components.first == "Sources", components.count >= 3 else { return nil }
        if components[1] == "Services" {
            let service = components[2]
            if unlayered.contains(service) { return service }
            return components.count > 4 ? "\(service)/\(components[3])" : "\(service)/App"
        }
        return components[1]
    }

    /// The rows a report shows: every part, and each layered service's total before its layers.
    public static func rows(of paths: some Sequence<String>) -> [(name: String, include: @Sendable (String) -> Bool)] {
        let parts = Set(paths.compactMap(part(of:)))
        var rows: [(name: String, include: @Sendable (String) -> Bool)] = []
        for service in Set(parts.filter { $0.contains("/") }.map { String($0.split(separator: "/")[0]) }).sorted() {
            rows.append((service, { path in part(of: path)?.hasPrefix(service + "/") == true }))
            for layer in parts.filter({ $0.hasPrefix(service + "/") }).sorted() {
                rows.append((layer, { path in part(of: path) == layer }))
            }
        }
        for module in parts.filter({ !$0.contains("/") }).sorted() {
            rows.append((module, { path in part(of: path) == module }))
        }
        return rows
    }

    /// A part name matched against a glob of `*` wildcards: `*/Models`, `Payments/*`, `ServiceKit`.
    public static func matches(_ part: String, _ glob: String) -> Bool {
        let pattern = glob.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard pattern.count > 1 else { return part == glob }
        var rest = part[...]
        guard rest.hasPrefix(pattern[0]) else { return false }
        rest = rest.dropFirst(pattern[0].count)
        for (index, piece) in pattern.dropFirst().enumerated() {
            if index == pattern.count - 2 { return piece.isEmpty || rest.hasSuffix(piece) }
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}
