import Harness
import PaymentsSystem
import ServiceKit
import Testing

@Suite struct DeclaredRoutesTests {
    @Test func everyServiceListsItsRoutesAndTheRoutesItCalls() throws {
        let catalog = try SystemCatalog(.payments)
        let fraudRoutes = Set(catalog.routes[.fraud]?.map(\.description) ?? [])
        #expect(
            fraudRoutes.isSuperset(of: [
                "fraud POST /checks", "fraud GET /checks/stats", "fraud GET /checks/{id}", "fraud POST /underwriting", "fraud GET /health",
            ]))
        #expect(
            catalog.consumes[.payments]?.map(\.description) == [
                "fraud POST /checks", "fraud POST /underwriting", "vault POST /cards", "vault GET /cards/{id}", "vault DELETE /cards/{id}",
                "vault POST /authorizations",
                "vault POST /authorizations/{id}/captures", "vault POST /authorizations/{id}/reversals", "vault POST /authorizations/{id}/refunds",
            ])
        #expect(
            catalog.consumes[.dashboard]?.map(\.description) == [
                "payments GET /marketplaces", "payments GET /debits", "fraud GET /checks/stats",
            ])
        #expect(catalog.consumes[.fraud] == [], "fraud calls no one")
        #expect(catalog.consumes[.vault]?.map(\.description) == ["processor POST /authorize"], "only vault talks to the card processor")
        for (consumer, routes) in catalog.consumes {
            for route in routes {
                #expect(catalog.routes[route.provider]?.contains(route) == true, "\(consumer) calls \(route), which its provider does not declare")
            }
        }
    }

    @Test func everyInternalRouteNamesItsCallersAndEveryConsumerIsLetIn() throws {
        let catalog = try SystemCatalog(.payments)
        #expect(catalog.accessProblems == [])
        guard case .internalOnly(let vault)? = catalog.access[.vault], case .internalOnly(let fraud)? = catalog.access[.fraud] else {
            Issue.record("vault and fraud must be internal services")
            return
        }
        #expect(vault.allSatisfy { $0.callers == ["payments"] }, "only payments reaches card data")
        #expect(fraud.first { $0.route == Route(.get, "/checks/stats") }?.callers == ["dashboard"])
        if case .internalOnly = catalog.access[.payments] { Issue.record("payments is the public API") }
        if case .internalOnly = catalog.access[.dashboard] { Issue.record("the dashboard is public") }
    }

    @Test func namesAnUndeclaredRouteAStaleEntryAndARefusedConsumer() {
        var catalog = SystemCatalog(
            routes: [
                "vault": [PeerRoute("vault", .get, "/cards/{id}"), PeerRoute("vault", .delete, "/cards/{id}"), PeerRoute("vault", .get, "/health")]
            ],
            consumes: ["dashboard": [PeerRoute("vault", .get, "/cards/{id}")]])
        catalog.access = [
            "vault": .internalOnly([RouteAccess(.get, "/cards/{id}", callers: "payments"), RouteAccess(.post, "/cards", callers: "payments")])
        ]
        #expect(
            catalog.accessProblems == [
                "vault DELETE /cards/{id} is not in vault's access list: any service holding the key reaches it",
                "vault's access list names POST /cards, which vault does not serve",
                "dashboard calls vault GET /cards/{id}, which vault lets only payments call",
            ])
    }
}
