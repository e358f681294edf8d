// swift-tools-version:6.0
import PackageDescription

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")

func service(_ name: String, _ extra: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: ["ServiceKit", hummingbird, grdb, logging, httpTypes, nio] + extra,
            path: "Sources/Services/\(name)")
}

let package = Package(
    name: "Harness",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "harness", targets: ["HarnessCLI"]),
        .library(name: "Harness", targets: ["Harness"]),
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
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(name: "ServiceKit",
                dependencies: [hummingbird, grdb, logging, httpTypes, nio],
                path: "Sources/Services/ServiceKit"),
        service("Payments", [.product(name: "Crypto", package: "swift-crypto")]),
        service("Fraud"),
        service("Vault", [.product(name: "Crypto", package: "swift-crypto")]),
        service("Dashboard"),
        .target(name: "Harness",
                dependencies: ["ServiceKit", "Payments", "Fraud", "Vault", "Dashboard",
                               hummingbird, grdb, logging, httpTypes, nio,
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle")]),
        .executableTarget(name: "HarnessCLI",
                          dependencies: ["Harness", "ServiceKit", hummingbird, logging,
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle")]),
        .testTarget(name: "Unit",
                    dependencies: ["ServiceKit", "Payments", "Fraud", "Vault", "Dashboard", "Harness", hummingbird, grdb, httpTypes, nio]),
        .testTarget(name: "Acceptance",
                    dependencies: ["Harness", "ServiceKit", httpTypes, grdb]),
    ],
    swiftLanguageModes: [.v6]
)
