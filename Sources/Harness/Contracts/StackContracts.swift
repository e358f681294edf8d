import Foundation
import Synchronization

/// What a stack checks its consumers' reads against, or records them for: chosen by whoever boots it.
///
/// There is no default. A stack that quietly checked nothing when its contracts could not be found (a
/// test run from another directory, a corrupt file) would let every drift through, so a directory that
/// is missing, unreadable or holds no contract fails the boot, and checking nothing is said in code
/// with `.none`. The library never looks in the working directory: a suite names its `contracts/`, for
/// instance from its own source file, which holds wherever the tests run from.
///
/// ```swift
/// let contracts = StackContracts.directory(packageRoot + "/contracts")   // packageRoot from #filePath
/// try await withStack(system, mode, contracts: contracts) { stack in … }
/// ```
public enum StackContracts: Sendable {
    /// The contract files of a directory (`harness contracts record` writes them), read once per process.
    case directory(String)
    /// These contracts: a test that learns them from one stack and checks another against them.
    case book(ContractBook)
    /// Checks nothing; keeps every read with an example of each call and appends them to this file when
    /// the stack goes: how `harness contracts record` collects a run.
    case recording(into: String)
    /// Checks nothing: a system without contracts, or a stack that is not there to test them (a benchmark).
    case none

    /// The variable `harness contracts record` sets on the suites it runs: the file they record into.
    public static let recordingFileVariable = "HARNESS_CONTRACTS_FILE"
    /// The variable `harness contracts verify` sets on the suites it runs: the directory they check.
    public static let directoryVariable = "HARNESS_CONTRACTS_DIR"

    /// What a test suite's stacks use: the file to record into or the directory to check that `environment`
    /// names (`harness contracts` runs the suites with one), else `directory`. The suite passes its
    /// process's environment in; the library reads none.
    public static func forSuite(environment: [String: String], directory: String) -> StackContracts {
        if let file = environment[recordingFileVariable], !file.isEmpty { return .recording(into: file) }
        if let other = environment[directoryVariable], !other.isEmpty { return .directory(other) }
        return .directory(directory)
    }

    /// The contracts to check against; throws, naming the directory and what to do, when it cannot be read.
    func expected() throws -> ContractBook {
        switch self {
        case .directory(let path): try Self.loaded(path)
        case .book(let book): book
        case .recording, .none: ContractBook([])
        }
    }

    /// The file reads are appended to when the stack goes, if recording.
    var recordingFile: String? {
        if case .recording(let file) = self { file } else { nil }
    }

    /// Where the expected contracts come from, for a drift's diagnosis.
    var origin: String {
        switch self {
        case .directory(let path): path
        case .book: "the contracts the test gave"
        case .recording, .none: "no contracts"
        }
    }

    /// Every stack of a suite checks the same directory, and a stack's boot must stay about a
    /// millisecond: each directory is read once per process.
    private static let cache = Mutex<[String: ContractBook]>([:])

    static func loaded(_ path: String) throws -> ContractBook {
        if let book = cache.withLock({ $0[path] }) { return book }
        let book: ContractBook
        do {
            book = try ContractBook.load(from: path)
        } catch let error as HarnessError {
            throw HarnessError(
                "\(error.description); record them with `harness contracts record --directory \(path)`, "
                    + "or boot the stack with `contracts: .none` to check nothing")
        }
        cache.withLock { $0[path] = book }
        return book
    }
}
