import Harness
import PaymentsSystem
import ServiceKit
import Testing

@Suite struct DeclaredRoutesTests {
    @Test func everyServiceListsItsRoutesAndTheRoutesItCalls() throws {
        let catalog = try SystemCatalog(.payments)
        let fraudRoutes = Set(catalog.routes[.fraud]?.map(\.description) ?? [])
        #expect(fraudRoutes.isSuperset(of: [
            "fraud POST /checks", "fraud GET /checks/stats", "fraud GET /checks/{id}", "fraud POST /underwriting", "fraud GET /health",
        ]))
        #expect(catalog.consumes[.payments]?.map(\.description) == [
            "fraud POST /checks", "fraud POST /underwriting", "vault POST /cards", "vault GET /cards/{id}",
        ])
        #expect(catalog.consumes[.dashboard]?.map(\.description) == [
            "payments GET /marketplaces", "payments GET /debits", "fraud GET /checks/stats",
        ])
        #expect(catalog.consumes[.fraud] == [] && catalog.consumes[.vault] == [], "fraud and vault call no one")
        for (consumer, routes) in catalog.consumes {
            for route in routes {
                #expect(catalog.routes[route.provider]?.contains(route) == true, "\(consumer) calls \(route), which its provider does not declare")
            }
        }
    }
}
