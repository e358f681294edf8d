// swift-tools-version:6.2
import PackageDescription

// A bookshop of three Hummingbird services, written as a team writes its services: each with its own
// request context and storage, catalog's server generated from its OpenAPI document, orders calling
// catalog through a client generated from its own copy of that document and shipping through
// AsyncHTTPClient. Only ShopSystem (the wiring), ShopHarness and the tests import the harness. The generated
// code is committed (`./generate-openapi` after changing a document), so a build never builds the generator.
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let openAPIRuntime: Target.Dependency = .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
let harness: Target.Dependency = .product(name: "Harness", package: "Harness")
let harnessCommands: Target.Dependency = .product(name: "HarnessCommands", package: "Harness")

let package = Package(
    name: "Shop",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "shop-harness", targets: ["ShopHarness"])],
    dependencies: [
        .package(name: "Harness", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Books and their stock. Its routes are generated from openapi.json (Generated/, swift-openapi-hummingbird).
        .target(
            name: "Catalog",
            dependencies: [hummingbird, openAPIRuntime, .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird")],
            exclude: ["openapi-generator-config.yaml"], resources: [.copy("openapi.json")]),
        // Shipments, hand-written routes.
        .target(name: "Shipping", dependencies: [hummingbird]),
        // Orders: asks catalog through a client generated from its copy of catalog's document, and shipping
        // through AsyncHTTPClient.
        .target(
            name: "Orders",
            dependencies: [hummingbird, openAPIRuntime, .product(name: "AsyncHTTPClient", package: "async-http-client")],
            exclude: ["openapi-generator-config.yaml"], resources: [.copy("openapi.json")]),
        // The system as the harness runs it.
        .target(name: "ShopSystem", dependencies: ["Catalog", "Orders", "Shipping", harness, hummingbird]),
        // `swift run shop-harness`: the harness's commands (serve, contracts, coverage, bench) for the shop.
        .executableTarget(name: "ShopHarness", dependencies: ["ShopSystem", harness, harnessCommands]),
        .testTarget(name: "ShopTests", dependencies: ["ShopSystem", harness]),
    ],
    swiftLanguageModes: [.v6]
)
