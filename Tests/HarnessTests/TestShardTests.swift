import Harness
import Testing

@Suite struct TestShardTests {
    static let tests = (1...200).map { "Acceptance.Suite\($0 % 17)/test\($0)(mode:)" }

    @Test func everyTestRunsInExactlyOneShard() throws {
        for count in [1, 2, 4, 7] {
            let shards = try (1...count).map { try TestShard(parsing: "\($0)/\(count)").select(Self.tests) }
            #expect(shards.flatMap { $0 }.sorted() == Self.tests.sorted(), "the union of \(count) shards is the whole suite, once")
            #expect(shards.allSatisfy { !$0.isEmpty }, "no shard of \(count) is empty for 200 tests")
        }
    }

    @Test func aTestStaysInItsShardWhenOthersAreAdded() throws {
        let shard = try TestShard(parsing: "2/4")
        let before = shard.select(Self.tests)
        #expect(shard.select(Self.tests + ["Acceptance.New/added()"]).filter { $0 != "Acceptance.New/added()" } == before)
    }

    @Test func theFilterMatchesExactlyItsTests() throws {
        let pattern = TestShard.filter(matching: ["Acceptance.A/b(mode:)", "Acceptance.C/d()"])
        #expect(pattern == #"^(Acceptance\.A/b\(mode:\)|Acceptance\.C/d\(\))(/.*)?$"#)
        let regex = try Regex(pattern)
        #expect(try regex.wholeMatch(in: "Acceptance.A/b(mode:)") != nil)
        #expect(try regex.firstMatch(in: "Acceptance.A/bb(mode:)") == nil)
        #expect(TestShard.filter(matching: []) == "^$")
    }

    @Test(arguments: ["0/4", "5/4", "2", "a/b", "1/0", ""])
    func refusesAShardThatIsNotKOfN(text: String) {
        #expect(throws: HarnessError.self) { try TestShard(parsing: text) }
    }
}
