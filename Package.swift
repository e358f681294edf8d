// swift-tools-version:6.0
import PackageDescription

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
// SQLite's own API, for compiling an old build's statements under an authorizer (Release/SchemaCompatibility.swift).
let sqlite: Target.Dependency = .product(name: "GRDBSQLite", package: "GRDB.swift")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioFoundation: Target.Dependency = .product(name: "NIOFoundationCompat", package: "swift-nio")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let tracing: Target.Dependency = .product(name: "Tracing", package: "swift-distributed-tracing")
let lifecycle: [Target.Dependency] = [
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
]

func service(_ name: String, _ extra: [Target.Dependency] = []) -> Target {
    .target(
        name: name, dependencies: ["ServiceKit", hummingbird, grdb, logging, httpTypes, nio] + extra,
        path: "Sources/Services/\(name)")
}

let package = Package(
    name: "Harness",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "harness", targets: ["HarnessCLI"]),
        .library(name: "Harness", targets: ["Harness"]),
        // The harness's commands for a team's own system: an executable of theirs hands over its SystemUnderTest.
        .library(name: "HarnessCommands", targets: ["HarnessCommands"]),
        .library(name: "ServiceKit", targets: ["ServiceKit"]),
        // A Swift client of payments, generated from its OpenAPI document (scripts/generate-swift-client).
        .library(name: "PaymentsClient", targets: ["PaymentsClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        // `swift package generate-documentation --target Harness`: the reference in Sources/Harness/Harness.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The seam: one exchange with a service by name, and the middlewares around it. Nothing else.
        .target(name: "HarnessCore", dependencies: [httpTypes, nio]),
        // The commit a binary was built from, stamped before every build: what a deployed instance reports.
        .target(name: "BuildVersion", plugins: ["StampBuild"]),
        .plugin(name: "StampBuild", capability: .buildTool()),
        // What a consumer and its provider agree on, and how the harness tells when they stop agreeing: JSON,
        // routes, OpenAPI documents and their validator, the fields a consumer reads, drift, service identity.
        .target(name: "HarnessContracts", dependencies: ["HarnessCore", httpTypes, nio, nioFoundation, crypto]),
        // The payments system's own small service framework: one adopter of the engine among others.
        .target(
            name: "ServiceKit",
            dependencies: [
                "Harness", "HarnessCore", "HarnessContracts", "BuildVersion", hummingbird, grdb, logging, httpTypes, nio, nioFoundation, crypto,
            ],
            path: "Sources/Services/ServiceKit"),
        // The payments system under test.
        service("Payments", [crypto]),
        service("Fraud"),
        service("Vault", [crypto]),
        service("Dashboard"),
        // A card processor's test environment: the banking partner's side, never imported by a service.
        .target(name: "PartnerSandbox", dependencies: ["ServiceKit", hummingbird, grdb, httpTypes, nio]),
        .target(
            name: "PaymentsSystem",
            dependencies: ["Harness", "ServiceKit", "Payments", "Fraud", "Vault", "Dashboard", "PartnerSandbox", httpTypes, crypto]),
        // The engine.
        .target(
            name: "Harness",
            dependencies: [
                "HarnessCore", "HarnessContracts", hummingbird, grdb, sqlite, logging, httpTypes, nio, tracing, crypto,
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ] + lifecycle),
        // `serve`, `contracts`, `coverage`, `bench`, `identity`, `shard` for any SystemUnderTest.
        .target(
            name: "HarnessCommands",
            dependencies: [
                "Harness", logging, httpTypes, nio, .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // `harness`: those commands for the payments system, and its own release commands.
        .executableTarget(
            name: "HarnessCLI",
            dependencies: [
                "Harness", "HarnessCommands", "PaymentsSystem", "ServiceKit", "BuildVersion", hummingbird, logging, crypto, grdb, httpTypes,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + lifecycle),
        .target(name: "PaymentsClient", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]),
        // The generated client's own suite: in memory by default, against a staging URL like the acceptance suites.
        .testTarget(
            name: "ClientTests",
            dependencies: [
                "PaymentsClient", "Harness", "PaymentsSystem", "ServiceKit", httpTypes, nio,
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ]),
        .testTarget(
            name: "HarnessTests",
            dependencies: ["Harness", "ServiceKit", hummingbird, grdb, httpTypes, tracing] + lifecycle),
        .testTarget(
            name: "Unit",
            dependencies: [
                "ServiceKit", "Payments", "Fraud", "Vault", "Dashboard", "PartnerSandbox", "Harness", "HarnessContracts", "PaymentsSystem", crypto,
                logging,
                hummingbird, grdb, httpTypes, nio,
            ],
            resources: [.copy("Fixtures")]),
        // The `harness` command's own refusals (each mistake on its command line is one line, before anything is
        // written), and what it hard-codes about the system (the deploy's start order).
        .testTarget(
            name: "CLITests",
            dependencies: [
                "HarnessCLI", "Harness", "HarnessCommands", "PaymentsSystem", "ServiceKit", httpTypes, nio,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "Acceptance",
            dependencies: ["Harness", "PaymentsSystem", "ServiceKit", "BuildVersion", httpTypes, grdb, tracing, nio]),
    ],
    swiftLanguageModes: [.v6]
)

// `HARNESS_COVERAGE=1` builds this package's own targets instrumented for coverage (its dependencies are
// not): CI sets it for its whole run, so the README's test command, the coverage gate and every later stage
// share one build instead of making a second one for coverage.
if Context.environment["HARNESS_COVERAGE"] == "1" {
    for target in package.targets where target.type != .plugin {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-profile-generate", "-profile-coverage-mapping"])]
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-profile-generate"])]
    }
}
