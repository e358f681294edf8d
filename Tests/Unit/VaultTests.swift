@preconcurrency import Crypto
import Foundation
import GRDB
import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import Vault

@Suite struct VaultTests {
    @Test func acceptsOnlyNumbersThatPassTheLuhnCheck() {
        #expect(Luhn.isValid("4111111111111111"))
        #expect(Luhn.isValid("378282246310005"))
        #expect(!Luhn.isValid("4111111111111112"))
        #expect(!Luhn.isValid(""))
        #expect(!Luhn.isValid("41x1"))
    }

    @Test(arguments: [
        (["number": "4111111111111111", "expiration_month": 0, "expiration_year": 2016] as JSON, "expiration_month"),
        (["number": "4111111111111111", "expiration_month": 1, "expiration_year": 99] as JSON, "expiration_year"),
        (["number": "4111111111111111", "expiration_month": 1, "expiration_year": 2016, "cvv": "12345"] as JSON, "cvv"),
        (["number": "4111111111111111", "expiration_month": 1, "expiration_year": 2016, "name": 5] as JSON, "name"),
        (["expiration_month": 1, "expiration_year": 2016] as JSON, "number"),
        (["number": true, "expiration_month": 1, "expiration_year": 2016] as JSON, "number"),
    ])
    func namesTheInvalidField(body: JSON, field: String) {
        #expect { try CardInput(body) } throws: { error in
            (error as? ServiceError)?.detail.hasPrefix("\(field):") == true && (error as? ServiceError)?.status == .badRequest
        }
    }

    @Test func acceptsBalancedsClientHabits() throws {
        let input = try CardInput(["number": "4111 1111 1111 1111", "expiration_month": "05", "expiration_year": "2016", "cvv": 123])
        #expect(input == (try CardInput(["number": "4111111111111111", "expiration_month": 5, "expiration_year": 2016, "cvv": "123"])))
        #expect(input.name == nil)
    }

    @Test func reportsALuhnFailureAsCardNotValidated() {
        #expect { try CardInput(["number": "4111111111111112", "expiration_month": 1, "expiration_year": 2016]) } throws: { error in
            (error as? ServiceError)?.categoryCode == "card-not-validated" && (error as? ServiceError)?.status == .conflict
        }
    }

    @Test func recognizesBrandsAndReadsTheProcessorsSecurityCodeAnswers() {
        #expect(CardNetwork.brand(of: "4111111111111111") == "Visa")
        #expect(CardNetwork.brand(of: "5105105105105100") == "MasterCard")
        #expect(CardNetwork.brand(of: "378282246310005") == "American Express")
        #expect(CardNetwork.brand(of: "6011111111111117") == "Discover")
        #expect(CardNetwork.brand(of: "9111111111111111") == nil)
        #expect(CardNetwork.securityCodeLength(brand: "American Express") == 4 && CardNetwork.securityCodeLength(brand: "Visa") == 3)
        #expect(CardNetwork.securityCodeMatch("M") == "yes")
        #expect(CardNetwork.securityCodeMatch("N") == "no")
        #expect(CardNetwork.securityCodeMatch("U") == "unsupported")
        #expect(CardNetwork.securityCodeMatch("") == nil)
        #expect(ProcessorClient.CardData.expiry(month: 1, year: 2016) == "0116")
        #expect(ProcessorClient.CardData.expiry(month: 12, year: 2030) == "1230")
    }

    @Test func sendsTheProcessorOnlyAddressFieldsItAccepts() {
        let card = ProcessorClient.CardData(
            number: "4111111111111111", expiry: "0130", brand: "Visa",
            address: ["postal_code": "94301", "line1": "1 Main St / Apt 4%", "country_code": "US"])
        #expect(card.postalCode == "94301" && card.street == "1 Main St  Apt 4" && card.country == "US")
        let noPostal = ProcessorClient.CardData(number: "4111111111111111", expiry: "0130", brand: "Visa", address: ["line1": "1 Main St"])
        #expect(noPostal.postalCode == nil && noPostal.street == nil, "a street is only verified with its postal code")
        let british = ProcessorClient.CardData(
            number: "4111111111111111", expiry: "0130", brand: "Visa", address: ["postal_code": "SW1A 2AA", "country_code": "GBR"])
        #expect(british.country == "GB", "the processor takes two-letter codes")
        #expect(CardNetwork.twoLetterCountry("XYZ") == nil && CardNetwork.twoLetterCountry("CA") == "CA")
        let odd = ProcessorClient.CardData(number: "4111111111111111", expiry: "0130", brand: "Visa", address: ["postal_code": "94301#12345678"])
        #expect(odd.postalCode == nil, "a postal code the processor would refuse is not sent")
        #expect(
            ProcessorClient.traceNumber(orderID: "W1", message: "NewOrderAC") == ProcessorClient.traceNumber(orderID: "W1", message: "NewOrderAC"))
        #expect(
            ProcessorClient.traceNumber(orderID: "W1", message: "NewOrderAC") != ProcessorClient.traceNumber(orderID: "W2", message: "NewOrderAC"))
    }

    @Test func encryptsTheNumberSoOnlyItsOwnCardDecryptsIt() throws {
        let cipher = CardCipher(masterKey: SymmetricKey(size: .bits256))
        let sealed = try cipher.encrypt("4111111111111111", cardID: "CC1")
        #expect(try cipher.decrypt(sealed, cardID: "CC1") == "4111111111111111")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("4111111111111111"))
        #expect(throws: (any Error).self) { try cipher.decrypt(sealed, cardID: "CC2") }
        #expect(throws: (any Error).self) { try CardCipher(masterKey: SymmetricKey(size: .bits256)).decrypt(sealed, cardID: "CC1") }
        #expect(try cipher.encrypt("4111111111111111", cardID: "CC1") != sealed, "a fresh nonce every time")
    }

    @Test func refusesToStartWithAKeyThatCannotOpenTheStoredCards() throws {
        let directory = try MigrationTests().copyOfV1Data()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try String(contentsOf: directory.appendingPathComponent("vault.key"), encoding: .utf8)
        let key = SymmetricKey(data: try #require(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))))
        let environment = ServiceEnvironment(transport: try Isolated(), database: .file(directory.appendingPathComponent("vault.sqlite").path))
        _ = try VaultService(environment: environment, key: key)
        let error = try #require(throws: WrongVaultKey.self) { try VaultService(environment: environment, key: SymmetricKey(size: .bits256)) }
        #expect(error.description.hasPrefix("vault's key cannot decrypt the cards already stored (card CC"), "\(error)")
        #expect(!error.description.contains("\n"))
        _ = try VaultService(environment: ServiceEnvironment(transport: try Isolated()), key: SymmetricKey(size: .bits256))
    }

    @Test func fingerprintsWithAKeyNotAPlainHash() {
        let key = SymmetricKey(size: .bits256)
        let fingerprint = CardCipher(masterKey: key).fingerprint("4111111111111111")
        #expect(fingerprint.count == 64)
        #expect(fingerprint == CardCipher(masterKey: key).fingerprint("4111111111111111"))
        #expect(fingerprint != CardCipher(masterKey: SymmetricKey(size: .bits256)).fingerprint("4111111111111111"))
    }

    @Test func storesOnlyCiphertextAndNeverAnswersWithTheNumber() async throws {
        let logs = LogCapture()
        let (transport, vault) = try Isolated.vault(logger: logs.logger())
        let created = try await transport.client(.vault).post(
            "/cards",
            [
                "number": "5105105105105100", "expiration_month": 1, "expiration_year": 2030, "cvv": "321",
            ])
        let logged = logs.all.filter { $0.contains("tokenized card") }
        #expect(logged.count == 1 && logged[0].contains("last_four=5100"), "\(logs.all)")
        #expect(!logs.all.contains { $0.contains("5105105105105100") }, "the number is never logged")
        #expect(created.status == .created)
        #expect(!created.bodyText.contains("5105105105105100"))
        let card = try #require(created.json)
        #expect(card["last_four"] == "5100")
        #expect(card["bin"] == "510510")
        #expect(card["cvv_match"] == "yes")
        let id = try #require(card["id"].string)
        #expect(try await transport.client(.vault).get("/cards/\(id)").json == card)

        let stored = try await vault.database.read { try Card.fetchOne($0, key: id) }
        #expect(try vault.cipher.decrypt(try #require(stored).ciphertext, cardID: id) == "5105105105105100")
        let dump = try await vault.database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM card").map { "\($0)" }.joined()
        }
        #expect(!dump.contains("5105105105105100"))
    }
}
