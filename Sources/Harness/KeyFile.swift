@preconcurrency import Crypto
import Foundation

/// A 256-bit key in the data directory, base64, readable by its owner only. Never logged.
package struct KeyFile {
    package let url: URL
    /// What losing it means, for the error that says it is unreadable.
    package let needed: String

    package init(url: URL, needed: String) {
        self.url = url
        self.needed = needed
    }

    /// The key, or nil when there is no file.
    package func load() throws -> SymmetricKey? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else { throw HarnessError("\(url.path) is not a base64 256-bit key; restore it from backup (\(needed))") }
        return SymmetricKey(data: bytes)
    }

    /// The key, made on first use.
    package func loadOrCreate() throws -> SymmetricKey {
        try load() ?? create()
    }

    /// Writes a new random key, replacing any.
    package func create() throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        try write(key)
        return key
    }

    package func write(_ key: SymmetricKey) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HarnessError("cannot create the data directory \(directory.path): \(error.localizedDescription)")
        }
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try? FileManager.default.removeItem(at: url)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw HarnessError("cannot write \(url.path)")
        }
    }
}
