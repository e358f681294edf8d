import Foundation
import ServiceKit

/// Where services that run in another process are reached: a base URL per service name, under which
/// that service answers at `/<name>/…` as it does behind any `harness` server.
///
/// Given as `NAME=URL` — by `harness serve --peer`, and to suites aimed at staging by
/// `HARNESS_PEERS=processor=http://127.0.0.1:9100` (several separated by commas).
public struct Peers: Sendable, Equatable {
    public var urls: [ServiceName: String]

    public init(_ urls: [ServiceName: String] = [:]) {
        self.urls = urls.mapValues(Self.trimmed)
    }

    /// Parses `NAME=URL` entries; a malformed one is an error naming it.
    public init(parsing entries: [String]) throws {
        var urls: [ServiceName: String] = [:]
        for entry in entries where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let url = URL(string: parts[1]), ["http", "https"].contains(url.scheme ?? ""),
                  url.host != nil else {
                throw HarnessError("peer \"\(entry)\" is not NAME=URL with an http(s) URL, e.g. processor=http://127.0.0.1:9100")
            }
            guard urls[ServiceName(parts[0])] == nil else { throw HarnessError("peer \(parts[0]) is given twice") }
            urls[ServiceName(parts[0])] = parts[1]
        }
        self.init(urls)
    }

    /// `HARNESS_PEERS`, for suites aimed at a deployed stack.
    public static func fromEnvironment() throws -> Peers {
        try Peers(parsing: (ProcessInfo.processInfo.environment["HARNESS_PEERS"] ?? "").split(separator: ",").map(String.init))
    }

    static func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }
}
