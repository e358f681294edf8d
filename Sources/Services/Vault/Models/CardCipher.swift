@preconcurrency import Crypto
import Foundation
import GRDB

/// Encrypts card numbers and fingerprints them, with keys derived from one master key.
///
/// The ciphertext is bound to the card id (authenticated data), so a row copied onto another card
/// does not decrypt. The fingerprint is an HMAC, not a hash: without the key, it cannot be reversed
/// by enumerating the small space of card numbers.
struct CardCipher: Sendable {
    let encryptionKey: SymmetricKey
    let fingerprintKey: SymmetricKey

    init(masterKey: SymmetricKey) {
        func derive(_ purpose: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data(purpose.utf8), outputByteCount: 32)
        }
        self.encryptionKey = derive("vault.card-number.encryption")
        self.fingerprintKey = derive("vault.card-number.fingerprint")
    }

    func encrypt(_ number: String, cardID: String) throws -> Data {
        let sealed = try AES.GCM.seal(Data(number.utf8), using: encryptionKey, authenticating: Data(cardID.utf8))
        return sealed.combined!
    }

    func decrypt(_ ciphertext: Data, cardID: String) throws -> String {
        let box = try AES.GCM.SealedBox(combined: ciphertext)
        return String(decoding: try AES.GCM.open(box, using: encryptionKey, authenticating: Data(cardID.utf8)), as: UTF8.self)
    }

    func fingerprint(_ number: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(number.utf8), using: fingerprintKey)
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

/// A vault key that cannot decrypt the cards already stored: every charge on them would fail.
struct WrongVaultKey: Error, CustomStringConvertible {
    let cardID: String

    var description: String {
        "vault's key cannot decrypt the cards already stored (card \(cardID) does not open with it); "
            + "restore the key they were encrypted with"
    }
}

extension CardCipher {
    /// Checks that this key opens the newest stored card, so a vault started with the wrong key
    /// refuses to start instead of declining every charge on an existing card.
    func verifyOpensStoredCards(in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, ciphertext FROM card WHERE deleted_at IS NULL ORDER BY rowid DESC LIMIT 1") else {
            return
        }
        let id: String = row["id"]
        do {
            _ = try decrypt(row["ciphertext"], cardID: id)
        } catch {
            throw WrongVaultKey(cardID: id)
        }
    }
}
