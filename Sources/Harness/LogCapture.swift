import Logging
import Synchronization

/// Every log line of a stack's services, kept in memory so a test can read what was logged.
///
/// Lines are rendered as a log handler would print them, metadata included, so a search for a
/// secret finds it wherever a service put it.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger that records everything, at every level, into this capture.
    public func logger(label: String = "harness") -> Logger {
        Logger(label: label) { label in Handler(capture: self, label: label) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(event.level) \(label): \(event.message) \(rendered)")
        }
    }
}
