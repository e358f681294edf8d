import HTTPTypes
import ServiceKit
import Testing

/// Which declared route a request is on: the most specific that matches, compared segment by segment
/// from the left (a literal beats a parameter, which beats `**`), whatever order they are declared in.
@Suite struct RouteTests {
    /// The route by a scan of every route and by the table every hop uses, which must agree.
    static func on(_ routes: [Route], _ method: HTTPRequest.Method, _ path: String) -> String? {
        let scanned = routes.route(for: method, path, by: { $0 })?.description
        let table = RouteTable(routes).match(method, path)?.description
        #expect(scanned == table, "\(method) \(path): a scan says \(scanned ?? "none"), the table \(table ?? "none")")
        return table
    }

    @Test func readsAMethodAndATemplateOnce() throws {
        let route = try #require(Route("GET /cards/{id}"))
        #expect(route.method == .get && route.template == "/cards/{id}")
        #expect(route.description == "GET /cards/{id}")
        #expect(route.parameterNames == ["id"])
        for bad in ["GET", "/cards", "GET cards", "GET  /cards", "GET /cards extra", ""] { #expect(Route(bad) == nil, "\(bad)") }
    }

    @Test func matchesOneSegmentPerParameterAndIgnoresTheQuery() {
        let route = Route(.get, "/items/{sku}")
        #expect(route.matches(.get, "/items/A1?x=1"))
        #expect(!route.matches(.get, "/items/A1/more"))
        #expect(!route.matches(.get, "/items"))
        #expect(!route.matches(.delete, "/items/A1"))
        #expect(route.parameters(in: "/items/A%201?x=1") == ["sku": "A%201"])
        #expect(Route(.get, "/files/**").matches(.get, "/files/a/b/c"))
    }

    @Test(arguments: [false, true])
    func aLiteralSegmentBeatsAParameterInEitherOrder(reversed: Bool) {
        let declared = [Route(.get, "/cards/{id}"), Route(.get, "/cards/new")]
        let routes = reversed ? declared.reversed() : declared
        #expect(Self.on(routes, .get, "/cards/new") == "GET /cards/new")
        #expect(Self.on(routes, .get, "/cards/card_1") == "GET /cards/{id}")
        #expect(Self.on(routes, .post, "/cards/new") == nil)
    }

    @Test(arguments: [false, true])
    func theLeftmostDifferingSegmentDecides(reversed: Bool) {
        let declared = [Route(.get, "/a/{x}/c"), Route(.get, "/a/b/{y}"), Route(.get, "/a/**")]
        let routes = reversed ? declared.reversed() : declared
        #expect(Self.on(routes, .get, "/a/b/c") == "GET /a/b/{y}")
        #expect(Self.on(routes, .get, "/a/z/c") == "GET /a/{x}/c")
        #expect(Self.on(routes, .get, "/a/z/c/d") == "GET /a/**")
        #expect(Self.on(routes, .get, "/a") == "GET /a/**", "`**` matches no segment too")
        let anyFirst = [Route(.get, "/{kind}/c"), Route(.get, "/a/{y}"), Route(.get, "/")]
        let ordered = reversed ? anyFirst.reversed() : anyFirst
        #expect(Self.on(ordered, .get, "/a/c") == "GET /a/{y}", "a literal first segment beats a parameter")
        #expect(Self.on(ordered, .get, "/b/c") == "GET /{kind}/c")
        #expect(Self.on(ordered, .get, "//a//c/?q=1") == "GET /a/{y}", "empty segments and the query are not read")
        #expect(Self.on(ordered, .get, "/") == "GET /")
        #expect(Self.on(ordered, .get, "/b/d") == nil)
    }

    @Test func equallySpecificRoutesGoByDeclarationOrder() {
        #expect(Self.on([Route(.get, "/x/{a}"), Route(.get, "/x/{b}")], .get, "/x/1") == "GET /x/{a}")
        #expect(Self.on([Route(.get, "/x/{b}"), Route(.get, "/x/{a}")], .get, "/x/1") == "GET /x/{b}")
    }

    @Test func aRouteDoesNotClaimACallAMoreSpecificRouteHas() {
        let declared = [Route(.get, "/cards/{id}"), Route(.get, "/cards/new")]
        #expect(!Route(.get, "/cards/{id}").claims(.get, "/cards/new", among: declared))
        #expect(Route(.get, "/cards/{id}").claims(.get, "/cards/card_1", among: declared))
        #expect(Route(.get, "/cards/new").claims(.get, "/cards/new", among: declared))
        #expect(Route(.get, "/cards/{id}").claims(.get, "/cards/new", among: []), "without declared routes, matching is enough")
    }
}
