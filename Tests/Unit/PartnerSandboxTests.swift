import Foundation
import HTTPTypes
import Harness
import NIOCore
import PaymentsSystem
import ServiceKit
import Testing

@testable import PartnerSandbox

/// The processor's test environment refuses every malformed field with its own code, answers by test
/// card and amount, replays a trace number, and keeps a journal that never shows a number or a code.
@Suite struct PartnerSandboxTests {
    static let order: [(String, String)] = [
        ("OrbitalConnectionUsername", "BALANCEDPAY"), ("OrbitalConnectionPassword", "sandbox-orbital-1"), ("IndustryType", "EC"),
        ("MessageType", "A"), ("BIN", "000002"), ("MerchantID", "700000000001"), ("TerminalID", "001"), ("CardBrand", "VI"),
        ("AccountNum", "4111111111111111"), ("Exp", "1230"), ("CurrencyCode", "840"), ("CurrencyExponent", "2"),
        ("CardSecValInd", "1"), ("CardSecVal", "123"), ("AVSzip", "94301"), ("OrderID", "W123-ABC-DEFG"), ("Amount", "1000"),
    ]

    func sandbox() throws -> (StackClient, ProcessorSandbox) {
        let transport = try Isolated()
        let sandbox = try ProcessorSandbox(environment: transport.environment)
        transport.local.register(sandbox)
        return (transport.client("processor"), sandbox)
    }

    func send(
        _ client: StackClient, _ fields: [(String, String)], message: String = "NewOrder",
        headers: HTTPFields = [.contentType: "application/PTI81"]
    ) async throws -> (Int, XMLMessage) {
        let body = XMLMessage(root: "Request", message: message, fields: fields.map { (name: $0.0, value: $0.1) }).encoded()
        let response = try await client.send(.post, "/authorize", body: body, headers: headers)
        return (response.status.code, try XMLMessage(parsing: response.body))
    }

    func with(_ fields: [(String, String)], _ name: String, _ value: String?) -> [(String, String)] {
        var fields = fields
        if let index = fields.firstIndex(where: { $0.0 == name }) {
            if let value { fields[index].1 = value } else { fields.remove(at: index) }
        } else if let value {
            fields.append((name, value))
        }
        return fields
    }

    @Test(
        arguments: [
            ("Amount", "10.00", "10005", "Invalid <Amount>: must be 1 to 12 digits in minor units"),
            ("Amount", nil, "10004", "Missing required field <Amount>"),
            ("Exp", "12/30", "10005", "Invalid <Exp>: must be MMYY"),
            ("Exp", "1330", "10005", "Invalid <Exp>: must be MMYY"),
            ("AccountNum", "4111111111111112", "10005", "Invalid <AccountNum>: fails the Luhn check"),
            ("AccountNum", "4111-1111", "10005", "Invalid <AccountNum>: must be 13 to 19 digits"),
            ("CurrencyCode", "999", "10005", "Invalid <CurrencyCode>: 999 is not settled here"),
            ("CurrencyExponent", "3", "10005", "Invalid <CurrencyExponent>: must be 2 for currency 840"),
            ("CardSecValInd", nil, "10005", "Invalid <CardSecValInd>: must be 1 when CardSecVal is sent"),
            ("CardSecVal", nil, "10004", "Missing required field <CardSecVal>"),
            ("CardSecVal", "1234", "10005", "Invalid <CardSecVal>: must be 3 digits"),
            ("CardSecValInd", "7", "10005", "Invalid <CardSecValInd>: must be 1, 2 or 9"),
            ("OrbitalConnectionPassword", "guess", "10010", "Invalid OrbitalConnectionUsername or OrbitalConnectionPassword"),
            ("MerchantID", "700000000002", "10011", "Merchant 700000000002 is not set up"),
            ("MerchantID", "7000", "10005", "Invalid <MerchantID>: must be 6 or 12 digits"),
            ("BIN", "000003", "10005", "Invalid <BIN>: must be 000001 (Salem) or 000002 (PNS)"),
            ("TerminalID", "01", "10005", "Invalid <TerminalID>: must be 3 digits"),
            ("OrderID", "W123-ABC-DEFG-HIJK-LMNOP", "10005", "Invalid <OrderID>: must be 1 to 22 letters, digits or dashes"),
            ("OrderID", "W1 2", "10005", "Invalid <OrderID>"),
            ("MessageType", "S", "10005", "Invalid <MessageType>: must be A, AC or R"),
            ("IndustryType", "XX", "10005", "Invalid <IndustryType>"),
            ("CardBrand", "ZZ", "10005", "Invalid <CardBrand>: must be VI, MC, AX or DI"),
            ("AVSzip", "94301-12345", "10005", "Invalid <AVSzip>: must be at most 10"),
            ("AVSaddress1", "1 Main St | 2", "10005", "Invalid <AVSaddress1>"),
            ("AVScountryCode", "USA", "10005", "Invalid <AVScountryCode>: must be two capital letters"),
            ("SDMerchantName", "BAL*this name is far too long", "10005", "Invalid <SDMerchantName>"),
            ("TxRefNum", "ABC", "10005", "Invalid <TxRefNum>: is only sent with a refund (R)"),
            ("Bogus", "1", "10003", "Unknown field <Bogus>"),
        ] as [(String, String?, String, String)])
    func refusesAMalformedFieldWithItsCode(field: String, value: String?, status: String, message: String) async throws {
        let (client, sandbox) = try sandbox()
        let (code, answer) = try await send(client, with(Self.order, field, value))
        #expect(code == 400 && answer.message == "QuickResp")
        #expect(answer["ProcStatus"] == status)
        #expect(answer["StatusMsg"]?.hasPrefix(message) == true, "\(answer["StatusMsg"] ?? "")")
        let charged = try await sandbox.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM txn") }
        #expect(charged == 0)
    }

    @Test func refusesWhatIsNotItsMessageOrNotXML() async throws {
        let (client, _) = try sandbox()
        #expect(try await send(client, Self.order, message: "Void").1["ProcStatus"] == "10002")
        #expect(try await send(client, Self.order + [("Amount", "5")]).1["StatusMsg"] == "Invalid <Amount>: is sent twice")
        #expect(try await send(client, Self.order, headers: [.contentType: "application/json"]).1["ProcStatus"] == "10040")
        for text in [
            "{\"amount\": 1}", "<Request><NewOrder a=\"1\"></NewOrder></Request>", "<Request><NewOrder><A><B/></A></NewOrder></Request>",
            "<Request><NewOrder><A>1</A></NewOrder>", "<Request><NewOrder><A>&bogus;</A></NewOrder></Request>",
            "<Request><NewOrder></NewOrder></Request>trailing", "<Response><NewOrder></NewOrder></Response>",
        ] {
            let response = try await client.send(.post, "/authorize", raw: text, headers: [.contentType: "application/PTI81"])
            let answer = try XMLMessage(parsing: response.body)
            #expect(response.status == .badRequest && answer["ProcStatus"] == "10001", "\(text): \(answer)")
        }
    }

    @Test func readsAndWritesFlatXMLStrictly() throws {
        let message = XMLMessage(root: "Request", message: "NewOrder", fields: [("Comments", "a < b & \"c\" 'd'"), ("Empty", "")])
        let text = String(buffer: message.encoded())
        #expect(text.contains("<Comments>a &lt; b &amp; &quot;c&quot; &apos;d&apos;</Comments>") && text.contains("<Empty/>"))
        #expect(try XMLMessage(parsing: message.encoded()) == message)
        #expect(try XMLMessage(parsing: ByteBuffer(string: "<R><M><A>1</A>\n  <B>x&gt;y</B></M></R>"))["B"] == "x>y")
    }

    @Test func answersByTestCardAndAmount() async throws {
        let (client, _) = try sandbox()
        let charge = with(with(Self.order, "MessageType", "AC"), "CardSecValInd", nil).filter { $0.0 != "CardSecVal" }
        func answer(_ fields: [(String, String)]) async throws -> XMLMessage { try await send(client, fields).1 }
        let approved = try await answer(charge)
        #expect(approved["ApprovalStatus"] == "1" && approved["RespCode"] == "00" && approved["TxRefNum"]?.count == 40)
        #expect(approved["AVSRespCode"] == "Z" && approved["CVV2RespCode"] == "", "no street sent; no code sent")
        let declined = try await answer(with(charge, "AccountNum", "4444444444444448"))
        #expect(declined["ApprovalStatus"] == "0" && declined["RespCode"] == "05" && declined["StatusMsg"] == "Do Not Honor")
        #expect(try await answer(with(charge, "Amount", "5101"))["RespCode"] == "51")
        #expect(try await answer(with(charge, "Amount", "5401"))["RespCode"] == "54")
        let partial = try await answer(with(charge, "Amount", "1010"))
        #expect(partial["RespCode"] == "10" && partial["RedeemedAmount"] == "505" && partial["PartialAuthOccurred"] == "Y")
        let error = try await send(client, with(charge, "Amount", "9902"))
        #expect(error.0 == 200 && error.1.message == "QuickResp" && error.1["ProcStatus"] == "20000")
        #expect(try await answer(with(Self.order, "Amount", "0"))["CVV2RespCode"] == "M", "a verification checks the code")
        #expect(try await answer(with(with(Self.order, "Amount", "0"), "CardSecVal", "999"))["CVV2RespCode"] == "N")
        let verifyDeclining = try await answer(with(with(Self.order, "Amount", "0"), "AccountNum", "4444444444444448"))
        #expect(verifyDeclining["ApprovalStatus"] == "1", "a verification charges nothing, so nothing is declined")
        #expect(try await send(client, with(charge, "Amount", "0")).1["ProcStatus"] == "10005")
    }

    @Test func capturesReversesAndRefundsByReference() async throws {
        let (client, sandbox) = try sandbox()
        let auth = try await send(client, with(Self.order, "Amount", "800")).1
        let ref = try #require(auth["TxRefNum"])
        let header = Self.order.filter {
            ["OrbitalConnectionUsername", "OrbitalConnectionPassword", "BIN", "MerchantID", "TerminalID", "OrderID"].contains($0.0)
        }
        #expect(try await send(client, header + [("TxRefNum", ref), ("Amount", "900")], message: "MarkForCapture").1["ProcStatus"] == "10021")
        let captured = try await send(client, header + [("TxRefNum", ref), ("Amount", "600")], message: "MarkForCapture").1
        #expect(captured.message == "MarkForCaptureResp" && captured["ProcStatus"] == "0" && captured["Amount"] == "600")
        #expect(try await send(client, header + [("TxRefNum", ref)], message: "MarkForCapture").1["ProcStatus"] == "10021", "captured once")
        let refund = with(
            with(
                with(
                    Self.order.filter { !["AccountNum", "Exp", "CardSecValInd", "CardSecVal"].contains($0.0) },
                    "MessageType", "R"), "TxRefNum", ref), "Amount", "400")
        #expect(try await send(client, refund).1["ApprovalStatus"] == "1")
        let over = try await send(client, with(refund, "Amount", "300")).1
        #expect(over["ProcStatus"] == "10021" && over["StatusMsg"] == "Refund of 300 exceeds the 200 left to refund")
        #expect(try await send(client, header + [("TxRefNum", ref)], message: "Reversal").1["ProcStatus"] == "10021", "refunded: too late to void")
        #expect(try await send(client, header + [("TxRefNum", String(repeating: "A", count: 40))], message: "Reversal").1["ProcStatus"] == "10020")
        #expect(try await send(client, with(header, "OrderID", "OTHER") + [("TxRefNum", ref)], message: "Reversal").1["ProcStatus"] == "10005")

        let second = try #require(try await send(client, with(with(Self.order, "Amount", "50"), "OrderID", "W2")).1["TxRefNum"])
        let reversal = try await send(client, with(header, "OrderID", "W2") + [("TxRefNum", second), ("TxRefIdx", "0")], message: "Reversal").1
        #expect(reversal.message == "ReversalResp" && reversal["ProcStatus"] == "0")
        #expect(try await send(client, with(header, "OrderID", "W2") + [("TxRefNum", second)], message: "MarkForCapture").1["ProcStatus"] == "10021")
        let rows = try await sandbox.database.read { try SandboxStore.Transaction.fetchAll($0) }
        #expect(rows.map(\.captured).sorted() == [0, 600] && rows.filter(\.voided).count == 1 && rows.map(\.refunded).max() == 400)
    }

    @Test func answersAResentTraceNumberWithTheFirstAnswer() async throws {
        let (client, sandbox) = try sandbox()
        let charge = with(Self.order, "MessageType", "AC")
        var headers: HTTPFields = [.contentType: "application/PTI81", .traceNumber: "42"]
        #expect(
            try await send(client, charge, headers: headers).1["StatusMsg"]
                == "Invalid <Merchant-ID>: must be sent with Trace-number and match <MerchantID>")
        headers[.merchantID] = "700000000001"
        let first = try await send(client, charge, headers: headers).1
        let again = try await send(client, charge, headers: headers).1
        #expect(first == again, "the same TxRefNum, the same answer")
        #expect(try await send(client, with(charge, "Amount", "2000"), headers: headers).1["ProcStatus"] == "10030")
        headers[.traceNumber] = "12345678901234567"
        #expect(try await send(client, charge, headers: headers).1["StatusMsg"] == "Invalid <Trace-number>: must be 1 to 16 digits")
        let charged = try await sandbox.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM txn") }
        #expect(charged == 1)
    }

    @Test func journalsEverythingWithoutTheNumberTheCodeOrThePassword() async throws {
        let (client, _) = try sandbox()
        _ = try await send(client, Self.order)
        _ = try await send(client, with(Self.order, "Exp", "bad"))
        _ = try await client.send(.post, "/authorize", raw: "not xml", headers: [.contentType: "application/PTI81"])
        let journal = try #require(try await client.get("/journal").json)["entries"].array ?? []
        #expect(journal.map(\.["http_status"]) == [200, 400, 400])
        #expect(journal.map(\.["message"]) == ["NewOrder", "NewOrder", "unreadable"])
        let text = String(describing: journal)
        #expect(!text.contains("4111111111111111") && !text.contains("sandbox-orbital-1") && !text.contains("\"123\""), "\(text)")
        #expect(journal[0]["request"]["AccountNum"] == "411111******1111" && journal[0]["request"]["CardSecVal"] == "***")
        #expect(journal[1]["answer"]["StatusMsg"] == "Invalid <Exp>: must be MMYY")
        let one = try #require(try await client.get("/journal?order_id=W123-ABC-DEFG").json)["entries"].array
        #expect(one?.count == 2)
    }
}
