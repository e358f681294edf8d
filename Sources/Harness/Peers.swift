import Foundation
import HarnessCore

/// Where services that run in another process are reached: a base URL per service name, under which
/// that service answers at `/<name>/…` as it does behind any `harness` server.
///
/// Given as `NAME=URL` — by `harness serve --peer`, one per line in a peers file (`harness serve --peers
/// FILE`; blank lines and `#` comments allowed), and to suites aimed at staging by
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
                url.host != nil
            else {
                throw HarnessError("peer \"\(entry)\" is not NAME=URL with an http(s) URL, e.g. processor=http://127.0.0.1:9100")
            }
            guard urls[ServiceName(parts[0])] == nil else { throw HarnessError("peer \(parts[0]) is given twice") }
            urls[ServiceName(parts[0])] = parts[1]
        }
        self.init(urls)
    }

    /// A peers file: `NAME=URL` per line; blank lines and lines starting with `#` are skipped.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read the peers file \(path)") }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        do {
            try self.init(parsing: lines)
        } catch let error as HarnessError {
            throw HarnessError("\(path): \(error.description)")
        }
    }

    /// These peers and `other`'s; a service in both is an error.
    public func merging(_ other: Peers) throws -> Peers {
        if let twice = Set(urls.keys).intersection(other.urls.keys).min(by: { $0.rawValue < $1.rawValue }) {
            throw HarnessError("peer \(twice) is given twice")
        }
        return Peers(urls.merging(other.urls) { first, _ in first })
    }

    /// These peers without the services named (those a process runs itself).
    public func removing(_ names: some Sequence<ServiceName>) -> Peers {
        var urls = urls
        for name in names { urls[name] = nil }
        return Peers(urls)
    }

    static func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }
}
