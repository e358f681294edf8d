// swift-tools-version:6.2
import PackageDescription

// Vapor apps in a harness stack. A package of its own beside the harness, as swift-openapi-hummingbird is
// beside swift-openapi-runtime: a team on Hummingbird alone never resolves or builds Vapor, and a team on
// Vapor adds this one line to its test targets' package.
let package = Package(
    name: "HarnessVapor",
    platforms: [.macOS(.v15)],
    products: [.library(name: "HarnessVapor", targets: ["HarnessVapor"])],
    dependencies: [
        .package(name: "Harness", path: "../.."),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "HarnessVapor",
            dependencies: [
                .product(name: "Harness", package: "Harness"), .product(name: "Vapor", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ])
    ],
    swiftLanguageModes: [.v6]
)
