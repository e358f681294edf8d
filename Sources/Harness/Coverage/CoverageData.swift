import Foundation
import HarnessContracts
import NIOCore

/// Coverage of a set of source files, as one profile measured it: line hits per file and llvm-cov's
/// own line, function and region totals.
public struct CoverageData: Sendable {
    public struct File: Sendable {
        /// The path relative to the package root (`Sources/Services/Fraud/Models/RiskModel.swift`).
        public var path: String
        /// Executable lines and how often each ran.
        public var lines: [Int: UInt64]
        public var summary: Summary
    }

    /// Covered and total counts of lines, functions and regions.
    public struct Summary: Sendable, Equatable {
        public var lines = Count()
        public var functions = Count()
        public var regions = Count()

        public static func + (a: Summary, b: Summary) -> Summary {
            Summary(lines: a.lines + b.lines, functions: a.functions + b.functions, regions: a.regions + b.regions)
        }
    }

    public struct Count: Sendable, Equatable {
        public var covered = 0
        public var total = 0

        public init(covered: Int = 0, total: Int = 0) {
            self.covered = covered
            self.total = total
        }

        public var percent: Double { total == 0 ? 100 : Double(covered) * 100 / Double(total) }

        public static func + (a: Count, b: Count) -> Count { Count(covered: a.covered + b.covered, total: a.total + b.total) }
    }

    public var files: [String: File]

    public init(files: [String: File]) { self.files = files }

    /// Reads `llvm-cov export -summary-only` (JSON) for the totals and `llvm-cov export -format=lcov` for the
    /// line hits (the totals are left empty without the summary), keeping only files under `root` and
    /// naming them relative to it.
    public init(summaryJSON: ByteBuffer?, lcov: String, root: String) throws {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        var files: [String: File] = [:]
        let json = try summaryJSON.map { try JSON(parsing: $0) } ?? .null
        for file in json["data"][0]["files"].array ?? [] {
            guard let name = file["filename"].string, name.hasPrefix(prefix) else { continue }
            let summary = file["summary"]
            func count(_ key: String) -> Count {
                Count(covered: summary[key]["covered"].int ?? 0, total: summary[key]["count"].int ?? 0)
            }
            let path = String(name.dropFirst(prefix.count))
            files[path] = File(
                path: path, lines: [:],
                summary: Summary(
                    lines: count("lines"), functions: count("functions"),
                    regions: count("regions")))
        }
        var current: String?
        for line in lcov.split(separator: "\n") {
            if line.hasPrefix("SF:") {
                let name = String(line.dropFirst(3))
                current = name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : nil
            } else if line.hasPrefix("DA:"), let path = current {
                let fields = line.dropFirst(3).split(separator: ",")
                guard fields.count >= 2, let number = Int(fields[0]), let hits = UInt64(fields[1]) else { continue }
                files[path, default: File(path: path, lines: [:], summary: Summary())].lines[number, default: 0] += hits
            }
        }
        self.files = files
    }

    /// The totals of the files `part` selects.
    public func summary(where include: (String) -> Bool) -> Summary {
        files.values.filter { include($0.path) }.reduce(Summary()) { $0 + $1.summary }
    }
}
