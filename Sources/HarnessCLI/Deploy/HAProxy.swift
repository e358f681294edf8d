import Foundation
import Harness

/// Debian's HAProxy as the environment's front door: its config, its process and its runtime API.
enum HAProxy {
    /// The config: `/<service>/…` to that service's instances, each health-checked at `/<service>/health`,
    /// a runtime API socket at admin level, and a JSON 404 for a path no service owns.
    static func config(for environment: DeployEnvironment, instances: [Instance]) -> String {
        let services = DeployEnvironment.startOrder.map(\.rawValue).filter { name in instances.contains { $0.service == name } }
        let known = services.map { "/\($0)" }.joined(separator: ", ")
        var text = """
            # Written by `harness deploy --env \(environment.name)`; rewritten on every deploy.
            global
                stats socket \(environment.socket) mode 600 level admin
                stats timeout 30s

            defaults
                mode http
                option httplog
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout http-keep-alive 10s
                retries 2

            frontend \(environment.name)
                bind 127.0.0.1:\(environment.port)

            """
        for service in services {
            text += "    use_backend \(service) if { path /\(service) } || { path_beg /\(service)/ }\n"
        }
        text += """
                default_backend not_found

            backend not_found
                http-request return status 404 content-type application/json string "{\\"errors\\":[{\\"status\\":\\"Not Found\\",\\"status_code\\":404,\\"category_code\\":\\"not-found\\",\\"description\\":\\"No service at this path. Services: \(known).\\"}]}"

            """
        for service in services {
            text += """

                backend \(service)
                    option httpchk
                    http-check send meth GET uri /\(service)/health
                    http-check expect status 200
                    default-server check inter 500ms fastinter 200ms downinter 500ms rise 2 fall 2

                """
            for instance in instances where instance.service == service {
                text += "    server \(instance.name) 127.0.0.1:\(instance.port)\n"
            }
        }
        return text
    }

    /// The `haproxy` executable, looked up where Debian installs it as well as on `PATH`.
    static func executable() throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        guard let found = path.map({ "\($0)/haproxy" }).first(where: FileManager.default.isExecutableFile) else {
            throw HarnessError("haproxy is not installed (apt-get install -y haproxy)")
        }
        return found
    }

    /// Checks the config, then starts HAProxy in the background; returns its pid.
    static func start(_ environment: DeployEnvironment) throws -> Int32 {
        let haproxy = try executable()
        let check = try Processes.run(haproxy, ["-c", "-q", "-f", environment.haproxyConfig.path])
        guard check.status == 0 else {
            throw HarnessError("haproxy refuses \(environment.haproxyConfig.path): \(check.output.split(separator: "\n").first ?? "")")
        }
        let pidFile = environment.directory.appendingPathComponent("haproxy.pid").path
        try? FileManager.default.removeItem(atPath: pidFile)
        let started = try Processes.run(haproxy, ["-D", "-f", environment.haproxyConfig.path, "-p", pidFile])
        guard started.status == 0, let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw HarnessError("haproxy did not start: \(started.output.split(separator: "\n").first ?? "no pid file")")
        }
        return pid
    }

    /// One command to the runtime API, and its answer.
    static func command(_ command: String, socket path: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("cannot open a socket for haproxy's runtime API") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw HarnessError("the runtime API socket path \(path) is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            throw HarnessError("haproxy's runtime API at \(path) does not answer (\(reason)); is the environment deployed?")
        }
        let line = Array((command + "\n").utf8)
        guard line.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == line.count else { throw HarnessError("cannot write to \(path)") }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// A server's state as `show stat` has it: its status (`UP`, `DOWN`, `DRAIN`, `MAINT`) and its
    /// current sessions plus queued requests.
    static func server(_ instance: Instance, socket: String) throws -> (status: String, sessions: Int) {
        let csv = try command("show stat", socket: socket).split(separator: "\n")
        guard let header = csv.first?.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init),
            let proxy = header.firstIndex(of: "pxname"), let server = header.firstIndex(of: "svname"),
            let status = header.firstIndex(of: "status"), let current = header.firstIndex(of: "scur"), let queued = header.firstIndex(of: "qcur")
        else { throw HarnessError("haproxy's `show stat` answered no CSV header") }
        for row in csv.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count > max(status, current, queued), fields[proxy] == instance.service, fields[server] == instance.name else { continue }
            return (fields[status], (Int(fields[current]) ?? 0) + (Int(fields[queued]) ?? 0))
        }
        throw HarnessError("haproxy has no server \(instance.service)/\(instance.name)")
    }

    /// Sets a server's administrative state: `ready`, `drain` or `maint`.
    static func set(_ instance: Instance, _ state: String, socket: String) throws {
        let answer = try command("set server \(instance.service)/\(instance.name) state \(state)", socket: socket)
        guard answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HarnessError("haproxy refused to set \(instance.name) \(state): \(answer.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
