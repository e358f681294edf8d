import Foundation
import GRDB
import NIOCore
import ServiceKit

/// A tokenized card: everything about it but the number, which only exists as `ciphertext`.
struct Card: Codable, Sendable, Equatable {
    var id: String
    var ciphertext: Data
    var fingerprint: String
    var bin: String
    var lastFour: String
    var brand: String
    var expirationMonth: Int
    var expirationYear: Int
    /// The issuer's verdict on the security code when the card was verified: `yes`, `no`,
    /// `unsupported`, or nil without a code. The code itself is sent once and never kept.
    var cvvMatch: String?
    var name: String?
    /// JSON object: line1, line2, city, state, postal_code, country_code (each string or null).
    var address: String
    var avsStreetMatch: String?
    var avsPostalMatch: String?
    /// The marketplace that tokenized the card; nil for a card tokenized without a key.
    var tenant: String?
    var createdAt: Date
    /// When the card was deleted: its ciphertext is then empty, and it is never charged again.
    var deletedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, ciphertext, fingerprint, bin, brand, name, address, tenant
        case lastFour = "last_four"
        case expirationMonth = "expiration_month"
        case expirationYear = "expiration_year"
        case cvvMatch = "cvv_match"
        case avsStreetMatch = "avs_street_match"
        case avsPostalMatch = "avs_postal_match"
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
    }
}

extension Card: ServiceRecord, PersistableRecord {
    static let databaseTableName = "card"
}

extension Card {
    /// The card as vault answers for it: never the number, never the ciphertext.
    var json: JSON {
        [
            "id": .string(id), "fingerprint": .string(fingerprint), "bin": .string(bin),
            "last_four": .string(lastFour), "brand": .string(brand),
            "expiration_month": .number(Double(expirationMonth)), "expiration_year": .number(Double(expirationYear)),
            "cvv_match": cvvMatch.map(JSON.string) ?? .null, "name": name.map(JSON.string) ?? .null,
            "address": (try? JSON(parsing: ByteBuffer(string: address))) ?? .object([:]),
            "avs_street_match": avsStreetMatch.map(JSON.string) ?? .null,
            "avs_postal_match": avsPostalMatch.map(JSON.string) ?? .null,
            "bank_name": .string(CardNetwork.bankName(of: bin)),
            "created_at": .string(createdAt.iso8601),
        ]
    }
}
