import HarnessCore
import Hummingbird
import Logging

/// The request context every service's router runs with.
///
/// It can be made from a server channel (`harness serve`) or from nothing but a logger (the in-memory
/// transport), so one router serves both. Either way the request gets a Balanced-style id (`OHM…`),
/// which Hummingbird reads back as `context.id` and error bodies and log lines carry.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.init(logger: source.logger)
    }

    /// A context from nothing but a logger, for a request that arrives without a socket.
    public init(logger: Logger) {
        var logger = logger
        logger[metadataKey: "hb.request.id"] = .string(RequestIDs.make())
        self.coreContext = .init(source: LoggerSource(logger: logger))
    }
}

private struct LoggerSource: RequestContextSource {
    let logger: Logger
}
