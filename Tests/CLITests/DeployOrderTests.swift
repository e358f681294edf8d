import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import HarnessCLI

/// `DeployEnvironment.startOrder` is written out by hand, apart from `SystemUnderTest.payments`: a service
/// added to the system and not to the order would never be deployed, and one started before a service it
/// calls would fail its startup check. (README, "Add a service".)
@Suite struct DeployOrderTests {
    @Test func startsEveryServiceOfTheSystemOnce() {
        let order = DeployEnvironment.startOrder
        #expect(order.count == Set(order).count, "a service is listed twice: \(order)")
        #expect(
            Set(order) == Set(SystemUnderTest.payments.names),
            "DeployEnvironment.startOrder (\(order.map(\.rawValue))) must hold exactly the services of SystemUnderTest.payments")
    }

    @Test func startsEachServiceAfterTheServicesItCalls() throws {
        let order = DeployEnvironment.startOrder
        for (consumer, routes) in try SystemCatalog(.payments).consumes {
            for provider in Set(routes.map(\.provider)) {
                guard let before = order.firstIndex(of: provider), let after = order.firstIndex(of: consumer) else { continue }
                #expect(before < after, "\(consumer) calls \(provider), so \(provider) must start first in DeployEnvironment.startOrder")
            }
        }
    }
}
