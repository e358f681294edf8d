import Foundation

/// One self-contained page: coverage by service and layer with bars, the test × service heat map, the
/// graph of routes between services (unexercised ones marked), and every file with its uncovered lines.
struct CoverageHTML {
    let reports: CoverageReports
    let root: String

    var page: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Coverage</title>
        <style>
        body { font: 14px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1d2330; }
        h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #dde; padding-bottom: 4px; }
        table { border-collapse: collapse; } td, th { padding: 3px 8px; text-align: left; font-size: 13px; }
        th { color: #555; font-weight: 600; } tr.service td { font-weight: 600; border-top: 1px solid #e4e6ee; }
        .bar { display: inline-block; width: 120px; height: 10px; background: #f1d4d4; border-radius: 2px; vertical-align: middle; }
        .bar span { display: block; height: 10px; background: #3f9b5b; border-radius: 2px; }
        .num { font-variant-numeric: tabular-nums; text-align: right; width: 52px; display: inline-block; }
        .heat td { text-align: center; min-width: 70px; border: 1px solid #fff; }
        .heat td.test { text-align: left; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
        .miss { color: #b3261e; font-weight: 600; }
        pre { margin: 0; font: 12px/1.45 ui-monospace, Menlo, monospace; }
        .src span { display: block; white-space: pre; } .src .u { background: #fbe3e3; } .src .c { background: #e6f4ea; }
        .src i { color: #999; font-style: normal; display: inline-block; width: 42px; text-align: right; margin-right: 10px; }
        details { margin: 4px 0; } summary { cursor: pointer; }
        </style></head><body>
        <h1>Cross-service coverage</h1>
        \(parts)
        \(heatMap)
        \(graph)
        \(changed)
        \(files)
        </body></html>
        """
    }

    func bar(_ count: CoverageData.Count?) -> String {
        guard let count, count.total > 0 else { return "<span class=\"num\">–</span>" }
        return String(
            format: "<span class=\"bar\"><span style=\"width:%.0f%%\"></span></span> <span class=\"num\">%.1f%%</span>",
            count.percent, count.percent)
    }

    var parts: String {
        var rows =
            "<tr><th>part</th>" + CoverageTable.runs.map { "<th>\($0) lines</th>" }.joined() + "<th>all functions</th><th>all regions</th></tr>"
        for row in reports.table.rows {
            rows +=
                "<tr class=\"\(row.name.contains("/") ? "layer" : "service")\"><td>\(row.name.contains("/") ? "&nbsp;&nbsp;" : "")\(escape(row.name))</td>"
            rows += CoverageTable.runs.map { "<td>\(bar(row.runs[$0]?.lines))</td>" }.joined()
            rows += "<td>\(bar(row.runs["all"]?.functions))</td><td>\(bar(row.runs["all"]?.regions))</td></tr>"
        }
        return "<h2>By service and layer</h2><table>\(rows)</table>"
    }

    var heatMap: String {
        guard let matrix = reports.matrix else { return "<h2>Tests × services</h2><p>Not measured (run without <code>--no-per-test</code>).</p>" }
        let most = max(1, matrix.rows.flatMap(\.lines.values).max() ?? 1)
        var rows = "<tr><th>acceptance test</th>" + matrix.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in matrix.rows {
            rows += "<tr><td class=\"test\">\(escape(row.label))\(row.passed ? "" : " <span class=\"miss\">failed</span>")</td>"
            for column in matrix.columns {
                guard let lines = row.lines[column] else {
                    rows += "<td style=\"background:#f6f7fa;color:#bbb\">·</td>"
                    continue
                }
                let strength = log(Double(lines) + 1) / log(Double(most) + 1)
                rows += String(
                    format: "<td style=\"background:rgba(38,110,200,%.2f);color:%@\" title=\"%@\">%d</td>", 0.12 + 0.85 * strength,
                    strength > 0.55 ? "#fff" : "#123", escape(row.files[column]?.sorted().joined(separator: "\n") ?? ""), lines)
            }
            rows += "</tr>"
        }
        return "<h2>Tests × services (lines each acceptance test executed)</h2><table class=\"heat\">\(rows)</table>"
    }

    /// Services on a circle, an arrow per consumer → provider with its routes; client routes that were
    /// never exercised are drawn dashed in red.
    var graph: String {
        let edges = reports.edges
        var names = Set(edges.seen.map { $0.provider.rawValue })
        edges.seen.compactMap { $0.consumer?.rawValue }.forEach { names.insert($0) }
        let nodes = ["test"] + names.sorted()
        let size = 620.0
        let radius = 220.0
        let center = size / 2
        var position: [String: (Double, Double)] = [:]
        for (index, name) in nodes.enumerated() {
            let angle = Double(index) / Double(nodes.count) * 2 * .pi - .pi / 2
            position[name] = (center + radius * cos(angle), center + radius * sin(angle))
        }
        var pairs: [String: (routes: [String], missing: Bool)] = [:]
        for seen in edges.seen {
            let key = "\(seen.consumer?.rawValue ?? "test")>\(seen.provider)"
            pairs[key, default: ([], false)].routes.append("\(seen.route) \(seen.statuses.map(String.init).joined(separator: ","))")
        }
        for missing in edges.unexercised {
            let parts = missing.components(separatedBy: " → ")
            guard parts.count == 2, let provider = parts[1].split(separator: " ").first else { continue }
            let key = "\(parts[0])>\(provider)"
            pairs[key, default: ([], false)].routes.append("never: " + parts[1].split(separator: " ").dropFirst().joined(separator: " "))
            pairs[key]!.missing = true
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size) + 260)\" height=\"\(Int(size))\" font-size=\"11\">"
        svg +=
            "<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#456\"/></marker></defs>"
        for (key, value) in pairs.sorted(by: { $0.key < $1.key }) {
            let ends = key.split(separator: ">").map(String.init)
            guard let from = position[ends[0]], let to = position[ends[1]] else { continue }
            let (dx, dy) = (to.0 - from.0, to.1 - from.1)
            let length = max(1, (dx * dx + dy * dy).squareRoot())
            let (x1, y1) = (from.0 + dx / length * 46, from.1 + dy / length * 22)
            let (x2, y2) = (to.0 - dx / length * 46, to.1 - dy / length * 22)
            let color = value.missing ? "#b3261e" : "#456"
            svg += String(
                format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%@\" stroke-width=\"1.4\" %@ marker-end=\"url(#a)\"/>",
                x1, y1, x2, y2, color, value.missing ? "stroke-dasharray=\"5,4\"" : "")
            // Calls from tests are many: the graph counts them and the table below lists them.
            let labels = ends[0] == "test" ? ["\(value.routes.count) routes"] : value.routes
            let (mx, my) = (x1 + (x2 - x1) * 0.45 + 4, y1 + (y2 - y1) * 0.45 - 4 - Double(labels.count - 1) * 6)
            for (index, route) in labels.enumerated() {
                svg += String(
                    format: "<text x=\"%.0f\" y=\"%.0f\" fill=\"%@\">%@</text>", mx, my + Double(index) * 12,
                    route.hasPrefix("never") ? "#b3261e" : "#345", escape(route))
            }
        }
        for (name, point) in position {
            svg += String(
                format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"92\" height=\"30\" rx=\"6\" fill=\"%@\" stroke=\"#345\"/>",
                point.0 - 46, point.1 - 15, name == "test" ? "#fff6d8" : "#e8eef9")
            svg += String(
                format: "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\">%@</text>",
                point.0, point.1 + 4, escape(name))
        }
        svg += "</svg>"
        var lists = "<table><tr><th>consumer</th><th>provider</th><th>route</th><th>statuses seen</th></tr>"
        for seen in edges.seen {
            lists += "<tr><td>\(escape(seen.consumer?.rawValue ?? "test"))</td><td>\(escape(seen.provider.rawValue))</td>"
            lists += "<td><code>\(escape(seen.route))</code></td><td>\(seen.statuses.map(String.init).joined(separator: ", "))</td></tr>"
        }
        lists += "</table>"
        if !edges.uncalledRoutes.isEmpty {
            lists +=
                "<p>Provider routes no consumer and no test called: "
                + edges.uncalledRoutes.map { "<code>\(escape($0.description))</code>" }.joined(separator: ", ") + "</p>"
        }
        if !edges.unseenStatuses.isEmpty {
            lists +=
                "<p>Statuses a provider answered that a consumer never saw: "
                + edges.unseenStatuses.map { "<code>\(escape($0))</code>" }.joined(separator: ", ") + "</p>"
        }
        if !edges.unexercised.isEmpty {
            lists +=
                "<p class=\"miss\">Client routes never exercised: " + edges.unexercised.map { "<code>\(escape($0))</code>" }.joined(separator: ", ")
                + "</p>"
        }
        return "<h2>Routes between services (acceptance run)</h2>\(svg)\(lists)"
    }

    var changed: String {
        guard let diff = reports.diff else { return "" }
        return "<h2>Changed since \(escape(diff.since))</h2><pre>\(escape(diff.text))</pre>"
    }

    var files: String {
        guard let all = reports.data["all"] else { return "" }
        var html = "<h2>Files (all tests; uncovered lines in red)</h2>"
        for file in all.files.values.sorted(by: { $0.path < $1.path }) {
            let source = (try? String(contentsOfFile: "\(root)/\(file.path)", encoding: .utf8)) ?? ""
            let missed = file.lines.values.filter { $0 == 0 }.count
            html += "<details><summary>\(escape(file.path)) — \(bar(file.summary.lines))"
            html += missed > 0 ? " <span class=\"miss\">\(missed) uncovered</span>" : ""
            html += "</summary><pre class=\"src\">"
            for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let number = index + 1
                let kind = file.lines[number].map { $0 > 0 ? "c" : "u" } ?? ""
                html += "<span class=\"\(kind)\"><i>\(number)</i>\(escape(String(line)))</span>"
            }
            html += "</pre></details>"
        }
        return html
    }

    func escape(_ text: String) -> String { Cobertura.escape(text) }
}
