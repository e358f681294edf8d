import Foundation
import HarnessContracts

/// The files a coverage run leaves: JSON for programs, Cobertura and lcov for CI servers, HTML for people.
public struct CoverageReports: Sendable {
    public var table: CoverageTable
    public var data: [String: CoverageData]
    public var edges: EdgeReport
    public var matrix: PerTestCoverage?
    public var diff: DiffCoverage?

    public init(table: CoverageTable, data: [String: CoverageData], edges: EdgeReport, matrix: PerTestCoverage?, diff: DiffCoverage?) {
        self.table = table
        self.data = data
        self.edges = edges
        self.matrix = matrix
        self.diff = diff
    }

    /// Writes every report into `directory`; returns the files' names.
    /// - Parameters:
    ///   - directory: where the reports go; made if missing.
    ///   - lcov: the `all` run as `llvm-cov export -format=lcov` wrote it (absolute paths).
    ///   - root: the package's directory, which the reports' paths are made relative to.
    public func write(to directory: String, lcov: String, root: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        func save(_ name: String, _ text: String) throws {
            try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
            written.append(name)
        }
        var summary: [String: JSON] = ["parts": table.json, "edges": edges.json]
        summary["tests"] = matrix?.json
        summary["changed"] = diff?.json
        try save("coverage.json", String(buffer: JSON.object(summary).encoded()))
        try save("lcov.info", lcov.replacingOccurrences(of: "SF:\(root)/", with: "SF:"))
        let all = data["all"] ?? CoverageData(files: [:])
        try save("cobertura.xml", Cobertura.xml(all, root: root) { _ in true })
        for service in Set(all.files.keys.compactMap(PerTestCoverage.column(of:))).sorted() {
            try save("cobertura-\(service.lowercased()).xml", Cobertura.xml(all, root: root) { PerTestCoverage.column(of: $0) == service })
        }
        try save("index.html", CoverageHTML(reports: self, root: root).page)
        return written
    }
}

/// Cobertura XML (coverage-04.dtd), which Jenkins' Cobertura plugin, GitLab and Codecov read: a package
/// per part (`Payments.Models`), a class per file, a line per executable line.
enum Cobertura {
    static func xml(_ coverage: CoverageData, root: String, including include: (String) -> Bool) -> String {
        let files = coverage.files.values.filter { include($0.path) }.sorted { $0.path < $1.path }
        func rate(_ hits: [UInt64]) -> String {
            hits.isEmpty ? "1" : String(format: "%.4f", Double(hits.filter { $0 > 0 }.count) / Double(hits.count))
        }
        let all = files.flatMap { $0.lines.values }
        var xml = """
            <?xml version="1.0" ?>
            <!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
            <coverage line-rate="\(rate(all))" branch-rate="0" lines-covered="\(all.filter { $0 > 0 }.count)" \
            lines-valid="\(all.count)" branches-covered="0" branches-valid="0" complexity="0" version="harness" \
            timestamp="\(Int(Date().timeIntervalSince1970))">
              <sources><source>\(escape(root))</source></sources>
              <packages>

            """
        for (part, group) in Dictionary(grouping: files, by: { CoverageParts.part(of: $0.path) ?? "Other" }).sorted(by: { $0.key < $1.key }) {
            let package = escape(part.replacingOccurrences(of: "/", with: "."))
            xml += "    <package name=\"\(package)\" line-rate=\"\(rate(group.flatMap { $0.lines.values }))\" branch-rate=\"0\" complexity=\"0\">\n"
            xml += "      <classes>\n"
            for file in group {
                let name = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
                xml += "        <class name=\"\(escape(name))\" filename=\"\(escape(file.path))\" line-rate=\"\(rate(Array(file.lines.values)))\""
                xml += " branch-rate=\"0\" complexity=\"0\">\n          <methods/>\n          <lines>\n"
                for (number, hits) in file.lines.sorted(by: { $0.key < $1.key }) {
                    xml += "            <line number=\"\(number)\" hits=\"\(hits)\" branch=\"false\"/>\n"
                }
                xml += "          </lines>\n        </class>\n"
            }
            xml += "      </classes>\n    </package>\n"
        }
        return xml + "  </packages>\n</coverage>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
