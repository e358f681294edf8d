// swift-tools-version:6.2
import PackageDescription

// A bookshop of three services, written as a team writes its services: catalog and orders on Hummingbird,
// each with its own request context and storage, catalog's server generated from its OpenAPI document,
// orders calling catalog through a client generated from its own copy of that document and shipping
// through AsyncHTTPClient; shipping on Vapor with Fluent on SQLite, asking catalog with `req.client`. Only ShopSystem (the wiring), ShopHarness and the tests import the harness. The generated
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
        .package(name: "HarnessVapor", path: "../../Adapters/HarnessVapor"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
    ],
    targets: [
        // Books and their stock. Its routes are generated from openapi.json (Generated/, swift-openapi-hummingbird).
        .target(
            name: "Catalog",
            dependencies: [hummingbird, openAPIRuntime, .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird")],
            exclude: ["openapi-generator-config.yaml"], resources: [.copy("openapi.json")]),
        // Shipments: a Vapor app with Fluent on SQLite, asking catalog for each book's title with `req.client`.
        .target(
            name: "Shipping",
            dependencies: [
                .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ]),
        // Orders: asks catalog through a client generated from its copy of catalog's document, and shipping
        // through AsyncHTTPClient.
        .target(
            name: "Orders",
            dependencies: [hummingbird, openAPIRuntime, .product(name: "AsyncHTTPClient", package: "async-http-client")],
            exclude: ["openapi-generator-config.yaml"], resources: [.copy("openapi.json")]),
        // The system as the harness runs it.
        .target(
            name: "ShopSystem",
            dependencies: ["Catalog", "Orders", "Shipping", harness, hummingbird, .product(name: "HarnessVapor", package: "HarnessVapor")]),
        // `swift run shop-harness`: the harness's commands (serve, contracts, coverage, bench) for the shop.
        .executableTarget(name: "ShopHarness", dependencies: ["ShopSystem", harness, harnessCommands]),
        .testTarget(name: "ShopTests", dependencies: ["ShopSystem", harness]),
    ],
    swiftLanguageModes: [.v6]
)
