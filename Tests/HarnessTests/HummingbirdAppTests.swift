import Harness
import Hummingbird
import ServiceLifecycle
import Synchronization
import Testing

/// A whole Hummingbird app, hosted as it is: what it runs before its server starts runs before its first
/// request, its `services` run for the stack's lifetime and are shut down gracefully when the stack goes,
/// and its own request context is what its handlers get.
@Suite struct HummingbirdAppTests {
    /// What the app's parts saw, in order.
    final class Journal: Sendable {
        let lines = Mutex<[String]>([])
        func note(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A background job of the app's, as a team adds one with `addServices`.
    struct Sweeper: Service {
        let journal: Journal

        func run() async throws {
            journal.note("sweeper started")
            try? await gracefulShutdown()
            journal.note("sweeper stopped")
        }
    }

    struct GreetingContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let greeting = "hello from the app's own context"

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
        }
    }

    static func system(_ journal: Journal) -> SystemUnderTest {
        SystemUnderTest([
            "greeter": { environment in
                let router = Router(context: GreetingContext.self)
                router.get("/greeting") { _, context in
                    journal.note("request")
                    return context.greeting
                }
                var app = Application(router: router, logger: environment.logger)
                app.addServices(Sweeper(journal: journal))
                app.beforeServerStarts { journal.note("before start") }
                return HummingbirdService("greeter", app: app, router: router)
            }
        ])
    }

    @Test func runsTheAppsProcessesAndServicesAroundItsRequests() async throws {
        let journal = Journal()
        try await withStack(Self.system(journal), .inMemory, contracts: .none) { stack in
            let answer = try await stack.client("greeter").get("/greeting")
            #expect(answer.status == .ok && answer.bodyText == "hello from the app's own context")
            #expect(try stack.exchanges().map(\.route) == ["GET /greeting"])
        }
        #expect(journal.all.filter { $0 != "sweeper started" } == ["before start", "request", "sweeper stopped"], "\(journal.all)")
        #expect(journal.all.contains("sweeper started"))
    }
}
