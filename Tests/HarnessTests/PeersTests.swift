import Foundation
import Harness
import ServiceKit
import Testing

/// Where a process reaches the services it does not run: one `NAME=URL` format for flags, files and
/// `HARNESS_PEERS`.
@Suite struct PeersTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peers-\(UUID())").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsAPeersFileSkippingCommentsAndBlankLines() throws {
        let path = try file("# the front door\npayments=http://127.0.0.1:18400/\n\n  fraud=http://127.0.0.1:18400  \n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let peers = try Peers(contentsOf: path)
        #expect(peers.urls == ["payments": "http://127.0.0.1:18400", "fraud": "http://127.0.0.1:18400"])
    }

    @Test func namesTheFileAndTheLineThatIsNotAPeer() throws {
        let path = try file("payments=http://127.0.0.1:18400\nvault at 18400\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: HarnessError.self) { try Peers(contentsOf: path) }
        #expect(error.description == "\(path): peer \"vault at 18400\" is not NAME=URL with an http(s) URL, e.g. processor=http://127.0.0.1:9100")
        #expect(throws: HarnessError.self) { try Peers(contentsOf: "/nonexistent/peers") }
    }

    @Test func mergesFlagsWithAFileButNotTheSameServiceTwice() throws {
        let flags = try Peers(parsing: ["processor=http://127.0.0.1:9100"])
        let merged = try flags.merging(Peers(["payments": "http://127.0.0.1:18400"]))
        #expect(merged.urls.count == 2)
        let error = try #require(throws: HarnessError.self) { try merged.merging(Peers(["processor": "http://elsewhere:1"])) }
        #expect(error.description == "peer processor is given twice")
        #expect(merged.removing(["payments"]).urls == ["processor": "http://127.0.0.1:9100"], "a process does not reach itself as a peer")
    }
}
