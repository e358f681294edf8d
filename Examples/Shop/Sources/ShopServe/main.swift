import Foundation
import Harness
import ShopSystem

// `swift run shop-serve [PORT]`: the shop's three services behind one loopback URL (`/catalog`, `/orders`,
// `/shipping`), calling each other over HTTP through it; the suite's served mode points HARNESS_STAGING_URL here.
let port = CommandLine.arguments.dropFirst().first.map { Int($0) } ?? 8080
guard let port, (1...65535).contains(port) else {
    FileHandle.standardError.write(Data("shop-serve: the port must be a number from 1 to 65535\n".utf8))
    exit(2)
}
let server = try await StackServer.serve(.shop, port: port, logger: Stack.quietLogger)
print("shop: serving http://127.0.0.1:\(server.port) (/catalog, /orders, /shipping); Ctrl-C stops")
fflush(nil)
try await server.wait()
