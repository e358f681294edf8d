#!/usr/bin/env python3
"""Spec-conformance checker for the payments API (Balanced API revision 1.1).

Runs, against a running server, the self-contained cucumber scenarios of Balanced's
published specification (`balanced/balanced-api`: the customers, cards, card_holds,
debits and refunds features, less those needing bank accounts or orders and those
tagged @failing). Each scenario sends the requests Balanced's steps send (the same
envelope, flat or form-encoded bodies; the same links followed) and makes the same
assertions. Every non-204 response must be JSON (Content-Type containing
application/json) and is validated with jsonschema (draft 4) against the matching
schema of the spec's fixtures: errors.json for errors, else the envelope named by
the top-level key (cards.json, debits.json, ...), with `$ref`s resolved locally.

Usage:
    python3 scripts/spec-check.py --base http://127.0.0.1:8080/payments \\
        --spec /tmp/balanced-spec [--verbose] [--only TEXT]

  --base     the API root; the paths and hrefs in the specification are appended to it.
  --spec     a directory holding fixtures/ (fixtures/*.json and fixtures/_models/*.json).
  --verbose  print every request and response on stderr.
  --only     run only the scenarios whose "feature: name" contains TEXT.

Output: one line per scenario, `PASS feature: scenario` or
`FAIL feature: scenario — reason [request → status body]`. The last line is
"N passed, N failed". The exit status is 1 if any scenario failed.
Needs Python 3.11 or later, requests, and jsonschema 4.18 or later.
"""
import argparse
import json
import re
import sys
import urllib.parse
from pathlib import Path

import jsonschema
import requests
from referencing import Registry
from referencing.jsonschema import DRAFT4

ACCEPT = "application/vnd.api+json;revision=1.1"
TIMEOUT = 15
NO_BODY = object()
ENVELOPES = ("cards", "customers", "card_holds", "debits", "refunds",
             "api_keys", "marketplaces")
DRAFT4_TYPES = {"array", "boolean", "integer", "null", "number", "object", "string"}
VISA = "4111111111111111"
# The card every "I have tokenized a card" step creates (cards.rb).
TC_BODY = {"number": "4111 1111 1111 1111", "expiration_month": 12,
           "expiration_year": 2016, "cvv": "123",
           "address": {"line1": "965 Mission St", "postal_code": "94103"}}


class Failure(Exception):
    """An assertion of a scenario did not hold."""


def excerpt(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


# ---- schemas ---------------------------------------------------------------

def load_json_lenient(path):
    """Load a fixture, tolerating the trailing commas of marketplaces.json."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def without_schema_keys(node):
    """A copy without "$schema" keys: jsonschema would otherwise switch to its stock
    Draft4Validator inside every file and lose the lenient type checker below."""
    if isinstance(node, dict):
        return {k: without_schema_keys(v) for k, v in node.items() if k != "$schema"}
    return [without_schema_keys(v) for v in node] if isinstance(node, list) else node


def type_names(node):
    """Every name used as a "type" anywhere in a schema document."""
    if isinstance(node, list):
        return set().union(*map(type_names, node))
    if not isinstance(node, dict):
        return set()
    kind = node.get("type")
    own = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    return {k for k in own if isinstance(k, str)}.union(*map(type_names, node.values()))


def is_date_time(value):
    return not isinstance(value, str) or re.fullmatch(
        r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})",
        value) is not None


def is_uri(value):
    # Relative references such as "/cards/CC123" are valid, as in Ruby's json-schema gem.
    return not isinstance(value, str) or re.search(r"\s", value) is None


class Schemas:
    """The fixtures directory, loaded into a draft-4 validator with local $refs."""

    def __init__(self, spec_dir):
        self.root = Path(spec_dir, "fixtures").resolve()
        if not self.root.is_dir():
            raise SystemExit(f"spec-check: no fixtures directory at {self.root}")
        resources, names = [], set()
        for path in sorted(self.root.rglob("*.json")):
            doc = without_schema_keys(load_json_lenient(path))
            resources.append((path.as_uri(), DRAFT4.create_resource(doc)))
            names |= type_names(doc)
        self.registry = Registry().with_resources(resources)
        # The fixtures contain typos such as "type": "stirng". Ruby's json-schema
        # gem accepts any value for a type it does not know; so does this checker.
        checker = jsonschema.Draft4Validator.TYPE_CHECKER.redefine_many(
            {name: lambda _c, _i: True for name in names - DRAFT4_TYPES})
        self.validator_class = jsonschema.validators.extend(
            jsonschema.Draft4Validator, type_checker=checker)
        self.format_checker = jsonschema.FormatChecker(formats=())
        self.format_checker.checks("date-time")(is_date_time)
        self.format_checker.checks("uri")(is_uri)
        self.validators = {}

    def check(self, name, body):
        """Return None if body is valid against fixtures/<name>.json, else a message."""
        if name not in self.validators:
            path = self.root / f"{name}.json"
            if not path.exists():
                return f"no schema file {path}"
            self.validators[name] = self.validator_class(
                {"$ref": path.as_uri()}, registry=self.registry,
                format_checker=self.format_checker)
        error = jsonschema.exceptions.best_match(self.validators[name].iter_errors(body))
        if error is None:
            return None
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        return f"not valid against {name}.json at {where}: {excerpt(error.message, 200)}"


# ---- HTTP client -----------------------------------------------------------

class Response:
    def __init__(self, method, path, sent, raw):
        self.method, self.path, self.sent = method, path, sent
        self.status, self.headers, self.text = raw.status_code, raw.headers, raw.text
        self.body = None

    def summary(self):
        sent = f" {excerpt(self.sent, 100)}" if self.sent else ""
        body = f" {excerpt(self.text)}" if self.text else " (empty body)"
        return f"{self.method} {self.path}{sent} → {self.status}{body}"


class Client:
    """Sends requests the way Balanced's test client does, and checks every response."""

    def __init__(self, base, schemas, verbose=False):
        self.base, self.schemas, self.verbose = base.rstrip("/"), schemas, verbose
        self.secret, self.session = "", requests.Session()
        self.history, self.last = [], None

    def request(self, method, path, body=NO_BODY, form=None, auth=True, schema=None):
        """Send one request and check the response. body: sent as JSON (None as `null`,
        as Balanced's client does for GET and DELETE); form: sent form-urlencoded with
        bracket keys, as HTTParty does; neither: no body and no Content-Type."""
        headers = {"Accept": ACCEPT}
        data = sent = None
        if form is not None:
            data = sent = form_encode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not NO_BODY:
            sent = json.dumps(body, ensure_ascii=False)
            data = sent.encode("utf-8")
            headers["Content-Type"] = "application/json"
        url = path if path.startswith("http") else self.base + path
        try:
            raw = self.session.request(method, url, data=data, headers=headers,
                                       auth=(self.secret, "") if auth else None,
                                       timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise Failure(f"{method} {path}: no response from {url} "
                          f"({type(exc).__name__})") from None
        resp = Response(method, path, sent, raw)
        self.history.append(resp)
        self.last = resp
        if self.verbose:
            print(f"    {resp.summary()}", file=sys.stderr)
        self._check(resp, schema)
        return resp

    def _check(self, resp, schema):
        """Every non-204 response is a JSON object valid against its schema."""
        if resp.status == 204:
            return
        content_type = resp.headers.get("Content-Type", "")
        if "application/json" not in content_type:
            raise Failure(f"Content-Type is {content_type!r}, not application/json "
                          f"[{resp.summary()}]")
        try:
            resp.body = json.loads(resp.text)
        except ValueError:
            raise Failure(f"response is not JSON [{resp.summary()}]") from None
        if not isinstance(resp.body, dict):
            raise Failure(f"response is not a JSON object [{resp.summary()}]")
        if schema is None:
            schema = "errors" if "errors" in resp.body else next(
                (k for k in ENVELOPES if k in resp.body), None)
            if schema is None or resp.body[schema] == []:
                return  # nothing to check, or an empty collection
        problem = self.schemas.check(schema, resp.body)
        if problem:
            raise Failure(f"{problem} [{resp.summary()}]")

    def get_link(self, key):
        """TinyClient#get_link: links[key] of the newest response that has it, with
        its `{resource.field}` placeholders filled from that response."""
        for resp in reversed(self.history):
            links = (resp.body or {}).get("links")
            if isinstance(links, dict) and isinstance(links.get(key), str):
                return fill(links[key], resp.body)
        raise Failure(f'no earlier response has links["{key}"]')


def form_encode(data, prefix=None):
    """HTTParty's HashConversions.to_params: `meta[create]=can%20set%20on%20create`."""
    parts = []
    for key, val in data.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(val, dict):
            parts.append(form_encode(val, name))
        else:
            parts.append(f"{name}={urllib.parse.quote(str(val), safe='')}")
    return "&".join(p for p in parts if p)


def fill(template, body):
    """Replace `{cards.id}` with body["cards"][0]["id"] (or with its links["id"])."""
    def one(match):
        try:
            item = body[match.group(1)][0]
            return str(item.get(match.group(2)) or item["links"][match.group(2)])
        except (KeyError, IndexError, TypeError):
            raise Failure(f"cannot fill {match.group(0)} in {template!r}") from None
    return re.sub(r"\{(\w+)\.(\w+)\}", one, template)


# ---- assertions (the Then steps of http_steps.rb) --------------------------

def first(resp, key, field):
    """`@client[key][field]`: a field of the first item of an envelope."""
    try:
        return resp.body[key][0][field]
    except (KeyError, IndexError, TypeError):
        raise Failure(f"response has no {key}[0].{field} [{resp.summary()}]") from None


def link_of(resp, key):
    """links[key] of a response, a URI template such as /cards/{cards.id}/debits."""
    link = (resp.body or {}).get("links", {}).get(key)
    if not isinstance(link, str):
        raise Failure(f'response has no links["{key}"] [{resp.summary()}]')
    return link


def expect(resp, status, schema=None, client=None):
    """'I should get a <status> status code' and 'the response is valid according
    to the "<schema>" schema'."""
    if status is not None and resp.status != status:
        raise Failure(f"expected status {status}, got {resp.status} [{resp.summary()}]")
    if schema:
        if resp.body is None:
            raise Failure(f"expected a body valid against {schema}.json [{resp.summary()}]")
        problem = client.schemas.check(schema, resp.body)
        if problem:
            raise Failure(f"{problem} [{resp.summary()}]")


def require(message, ok):
    """A Then step: ok(world, resp) must hold; message may name World fields."""
    def then(w, resp):
        if not ok(w, resp):
            raise Failure(f"{message.format(**vars(w))} [{resp.summary()}]")
    return then


def listed(resp, key):
    items = (resp.body or {}).get(key)
    return items if isinstance(items, list) else None


no_body = require("expected no response body", lambda w, r: not r.text)


def same(expected, got):
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    return type(got) in (int, float, str) and expected == got


def check_fields(expected, actual, nesting, resp):
    """http_steps.rb `checker`: every expected leaf equals the actual one; nested
    objects are compared key by key, so extra actual keys are allowed."""
    if not isinstance(actual, dict):
        raise Failure(f"{nesting or 'body'}: expected an object, got "
                      f"{excerpt(json.dumps(actual))} [{resp.summary()}]")
    for key, want in expected.items():
        got, where = actual.get(key), f"{nesting}>{key}"
        if isinstance(want, dict):
            check_fields(want, got, where, resp)
        elif want is None and got is not None or want is not None and not same(want, got):
            raise Failure(f"{where}: expected {json.dumps(want)}, got {json.dumps(got)} "
                          f"[{resp.summary()}]")


def fields_on_this(resp, resource, expected):
    """'the fields on this <resource> match:' (and the envelope holds exactly one)."""
    items = (resp.body or {}).get(resource + "s")
    if not isinstance(items, list) or not items:
        raise Failure(f"response has no {resource}s[0] [{resp.summary()}]")
    check_fields(expected, items[0], "", resp)
    if len(items) != 1:
        raise Failure(f"expected exactly one item in {resource}s, got {len(items)} "
                      f"[{resp.summary()}]")


def fields_on_these(key, expected):
    """'the fields on these <key> match:' (every item); `expected` may take the World."""
    def then(w, resp):
        items = listed(resp, key)
        if items is None:
            raise Failure(f"response has no {key} list [{resp.summary()}]")
        for item in items:
            check_fields(resolve(w, expected), item, "", resp)
    return then


def resolve(w, x):
    return x(w) if callable(x) else x


# ---- given steps (from the step definitions) -------------------------------

class World:
    """One scenario's state: the instance variables of the cucumber world."""

    def __init__(self, client):
        self.c = client
        self.card_id = self.card_href = self.customer_id = self.customer_url = None
        self.debit_id = self.refund_id = self.card_hold_id = self.void_id = None

    def env(self):
        """http_steps.rb `env`: the JSON body of a POST step that has no body."""
        return {"bank_accounts_id": None, "credits_id": None, "cards_id": self.card_id,
                "debits_id": self.debit_id, "customers_id": self.customer_id,
                "customers_source": None, "orders_id": None}

    def tokenized_card(self):
        """I have tokenized a card (cards.rb)."""
        resp = self.c.request("POST", "/cards", TC_BODY)
        self.card_id, self.card_href = first(resp, "cards", "id"), first(resp, "cards", "href")

    def tokenized_customer_card(self):
        """I have tokenized a customer card (cards.rb)."""
        resp = self.c.request("POST", "/cards", {"number": VISA, "expiration_month": "12",
                                                 "expiration_year": 2016})
        self.card_id = first(resp, "cards", "id")

    def created_customer(self):
        """I have created a customer (customers.rb): the customer gets a card as source."""
        c = self.c
        resp = c.request("POST", "/customers", {"name": "Henry Ford", "dob_year": "1963",
                                                "dob_month": "07",
                                                "address": {"postal_code": "48120"}})
        customer_id = first(resp, "customers", "id")
        self.customer_url = first(resp, "customers", "href")
        accounts = c.request("GET", f"{self.customer_url}/accounts", None)
        if not isinstance((accounts.body or {}).get("accounts"), list):
            raise Failure(f'GET {{href}}/accounts must return {{"accounts": [...]}} '
                          f"[{accounts.summary()}]")
        self.customer_id = customer_id
        card = c.request("POST", "/cards", TC_BODY)
        card_url, self.card_id = first(card, "cards", "href"), first(card, "cards", "id")
        c.request("PATCH", card_url, [{"op": "replace", "path": "/cards/0/links/customer",
                                       "value": self.customer_id}])
        c.request("PATCH", self.customer_url, [{"op": "replace", "value": self.card_id,
                                                "path": "/customers/0/links/source"}])
        c.request("GET", self.customer_url, None)

    def customer_without_source(self):
        """I have created a customer without a card and bank account (customers.rb)."""
        resp = self.c.request("POST", "/customers", {})
        self.customer_id = first(resp, "customers", "id")
        self.customer_url = first(resp, "customers", "href")

    def customer_with_card(self):
        """I have a customer with a card (debits.rb): CUST, TC, flat PUT of links."""
        self.created_customer()
        self.tokenized_card()
        self.c.request("PUT", f"/cards/{self.card_id}", {"links": {"customer": self.customer_id}})

    def debited_card(self):
        """I have debited a card (debits.rb)."""
        self.tokenized_card()
        resp = self.c.request("POST", f"/cards/{self.card_id}/debits", {"amount": 1234})
        self.debit_id = first(resp, "debits", "id")

    def debited_that_card(self):
        """I have debited that card (cards.rb): the cards.debits link, filled from env."""
        link = link_of(self.c.last, "cards.debits").replace("{cards.id}", str(self.card_id))
        self.debit_id = first(self.c.request("POST", link, {"amount": 2000}), "debits", "id")

    def created_refund(self):
        """I have created a refund for a debit (refund.rb)."""
        self.debited_card()
        resp = self.c.request("POST", f"/debits/{self.debit_id}/refunds", {})
        self.refund_id = first(resp, "refunds", "id")

    def created_hold(self):
        """I have created a hold (hold.rb)."""
        self.tokenized_card()
        link = link_of(self.c.last, "cards.card_holds").replace("{cards.id}", str(self.card_id))
        resp = self.c.request("POST", link, {"amount": 100})
        self.card_hold_id = first(resp, "card_holds", "id")

    def remember_hold(self):
        """The first half of 'I make a DELETE request to it' (hold.rb)."""
        self.void_id = first(self.c.last, "card_holds", "id")
        self.hold_href = first(self.c.last, "card_holds", "href")

    def unstored_card(self):
        """I have unstored a card (cards.rb)."""
        self.tokenized_card()
        self.c.request("DELETE", f"/cards/{self.card_id}", None)

    def fetch_card(self):
        """I fetch the card: GET /resources/{card id}."""
        self.c.request("GET", f"/resources/{self.card_id}", None)

    def voided_hold(self):
        """I have voided a hold (hold.rb): create it, then DELETE its href."""
        self.created_hold()
        self.remember_hold()
        self.c.request("DELETE", self.hold_href, None)


# ---- scenarios --------------------------------------------------------------

SCENARIOS = []


def scenario(feature, name):
    def register(fn):
        SCENARIOS.append((feature, name, fn))
        return fn
    return register


def simple(feature, name, given, method, path, body=None, status=200, schema=None,
           fields=None, then=None):
    """Given the <given> steps; When <method> <path> with <body> (JSON, or NO_BODY);
    Then the status is <status> (None: not asserted), the body is valid against
    <schema>, 'the fields on this <fields[0]> match: <fields[1]>', and then(w, resp).
    path, body and fields[1] may be callables taking the World."""
    def run(w):
        for step in given:
            step(w)
        resp = w.c.request(method, resolve(w, path), resolve(w, body))
        expect(resp, status, schema, w.c)
        if fields:
            fields_on_this(resp, fields[0], resolve(w, fields[1]))
        if then:
            then(w, resp)
    scenario(feature, name)(run)


T, CUST, DEB, REF, HOLD = (World.tokenized_card, World.created_customer, World.debited_card,
                           World.created_refund, World.created_hold)
ENV = World.env  # the body of a POST step that has no body


def at(template):
    """A path built from the World, e.g. at("/cards/{card_id}/debits")."""
    return lambda w: template.format(**vars(w))


def keep_card(w):
    """Steps after this one may replace card_id; the :card_id token keeps this card."""
    w.first_card_id = w.card_id


def card_fields(name, card, expected):
    """The AVS, brand and CVV scenarios: POST an envelope; 201, valid, one field."""
    simple("cards", name, [], "POST", "/cards",
           {"cards": [dict(card, expiration_month=12, expiration_year=2016)]},
           201, "cards", ("card", expected))


# cards.feature

@scenario("cards", "Tokenize a card without a secret key")
def _(w):
    resp = w.c.request("POST", "/cards", auth=False, schema="card_tokens",
                       form={"number": VISA, "expiration_month": "12", "expiration_year": 2016,
                             "meta": {"create": "can set on create"}})
    expect(resp, 201, "card_tokens", w.c)
    resp = w.c.request("GET", first(resp, "cards", "href"), None)
    expect(resp, 200, "cards", w.c)
    fields_on_this(resp, "card", {"can_credit": False, "can_debit": True,
                                  "bank_name": "JPMORGAN CHASE BANK, N.A."})


simple("cards", "Retrieve a card", [T], "GET", at("/cards/{card_id}"), None, 200, "cards")
simple("cards", "List cards", [T, T], "GET", "/cards", None, 200, "cards")
simple("cards", "Remove a card", [T], "DELETE", at("/cards/{card_id}"), None, 204,
       then=no_body)
simple("cards", "Update a card", [T], "PUT", at("/cards/{card_id}"),
       {"cards": [{"meta": {"something": "random"}}]}, 200, "cards")
simple("cards", "Debit a card", [T], "POST", at("/cards/{card_id}/debits"),
       {"debits": [{"amount": "50"}]}, 201, "debits")


def link_card_to_customer(w):
    """PATCH /cards/:card_id with [replace /cards/0/links/customer]; 200 OK."""
    expect(w.c.request("PATCH", f"/cards/{w.first_card_id}", [
        {"op": "replace", "path": "/cards/0/links/customer", "value": w.customer_id}]), 200)


simple("cards", "Add a card to a customer", [T, keep_card, CUST, link_card_to_customer], "GET",
       at("/cards/{first_card_id}"), None, None, "cards",
       ("card", lambda w: {"links": {"customer": w.customer_id}}))
POSTAL, STREET = "avs_postal_match", "avs_street_match"
for _name, _card, _expected in [  # POST the envelope {"cards": [card + expiry 12/2016]}
        ("AVS Postal code matches", {"address": {"postal_code": "94301"}}, {POSTAL: "yes"}),
        ("AVS Postal code does not match", {"address": {"postal_code": "90210"}}, {POSTAL: "no"}),
        ("AVS Postal code is unsupported", {"address": {"postal_code": "90211"}},
         {POSTAL: "unsupported"}),
        ("AVS Postal code is unused", {}, {POSTAL: None}),
        ("AVS street matches", {"address": {"line1": "965 Mission St", "postal_code": "94103"}},
         {STREET: "yes"}),
        ("AVS street does not match", {"address": {"line1": "21 Jump St", "postal_code": "90210"}},
         {STREET: "no"}),
        ("AVS street match is null", {}, {STREET: None}),
        ("Detect a Visa card brand", {"number": "4111 1111 1111 1111"}, {"brand": "Visa"}),
        ("Detect a Mastercard card brand", {"number": "5105 1051 0510 5100"},
         {"brand": "MasterCard"}),
        ("Detect an American Express card brand", {"number": "3782 822463 10005"},
         {"brand": "American Express"}),
        ("Detect a Discover card brand", {"number": "6011 1111 1111 1117"}, {"brand": "Discover"})]:
    card_fields(_name, dict({"number": VISA}, **_card), _expected)


@scenario("cards", "Tokenizing a card")
def _(w):
    french = {"line1": "7 Bis Rue de l'Abbé de l'Épée", "line2": "Apt 4", "city": "Versailles",
              "postal_code": "78000", "country_code": "FR"}
    spaced = "4111 1111 1111 1111"
    for card, expected in [
            ({"number": spaced, "expiration_month": "12", "expiration_year": "2016"},
             {"expiration_month": 12, "expiration_year": 2016}),
            ({"name": "Frida Kahlo", "number": spaced, "expiration_month": 12,
              "expiration_year": 2016}, {"name": "Frida Kahlo"}),
            ({"number": spaced, "expiration_month": 12, "expiration_year": 2016,
              "address": french}, {"address": dict(french, state=None)})]:
        resp = w.c.request("POST", "/cards", {"cards": [card]})
        expect(resp, 201, "cards", w.c)
        fields_on_this(resp, "card", expected)


simple("cards", "Tokenization fails luhn test", [], "POST", "/cards",
       {"cards": [{"number": "4111111111111112", "expiration_month": 12,
                   "expiration_year": 2016}]},
       409, "errors", ("error", {"category_code": "card-not-validated"}))
simple("cards", "Unstore a card", [T], "DELETE", at("/cards/{card_id}"), None, 204)


# 'I should (not) see that card in the results'
simple("cards", "Unstored cards aren't visible from the index", [World.unstored_card],
       "GET", "/cards", None, None, then=require(
           "unstored card {card_id} is listed", lambda w, r: listed(r, "cards") is not None
           and all(c.get("id") != w.card_id for c in listed(r, "cards"))))
simple("cards", "Unstored cards are still GET-able", [World.unstored_card],
       "GET", lambda w: w.card_href, None, None, then=require(
           "GET of unstored card {card_id} did not return it", lambda w, r: listed(r, "cards")
           is not None and all(c.get("id") == w.card_id for c in listed(r, "cards"))))

for _name, _number, _cvv, _match in [
        ("CVV matches", VISA, "123", "yes"),
        ("CVV does not match", "5112000200000002", "200", "no"),
        ("CVV is unsupported", "4457000300000007 ", "901", "unsupported"),
        ("CVV is unused", VISA, None, None)]:
    card_fields(_name, dict({"number": _number}, **({"cvv": _cvv} if _cvv else {})),
                {"cvv_match": _match})


def meta_op(op, val=None, **extra):
    return dict({"op": op, "path": "/cards/0/meta/asdf"}, **({"value": val} if val else {}),
                **extra)


def meta_scenario(name, first_value, ops, status, expected):
    """TC; PATCH its href (add asdf); then, if ops: GET /resources/{card}; PATCH href ops."""
    def run(w):
        w.tokenized_card()
        resp = w.c.request("PATCH", w.card_href, [meta_op("add", first_value)])
        if ops:
            w.fetch_card()
            resp = w.c.request("PATCH", first(w.c.last, "cards", "href"), ops)
        expect(resp, status, "cards" if status == 200 else "errors", w.c)
        if status == 200:
            fields_on_this(resp, "card", {"meta": expected})
    scenario("cards", name)(run)


TESTED, AFTER = "the value to be tested", "after checking the value"
meta_scenario("Adding card metadata", "the value to be added", None, 200,
              {"asdf": "the value to be added"})
meta_scenario("Updating card metadata", "the value to be added",
              [meta_op("replace", "new value")], 200, {"asdf": "new value"})
meta_scenario("Safely updating the metadata", TESTED,
              [meta_op("test", TESTED), meta_op("replace", AFTER)], 200, {"asdf": AFTER})
meta_scenario("Failing to safely update the metadata", TESTED,
              [meta_op("test", "not the right value"), meta_op("replace", AFTER)], 409, None)
meta_scenario("Moving metadata", "the value to be moved",
              [{"op": "move", "from": "/cards/0/meta/asdf", "path": "/cards/0/meta/zxcv"}],
              200, {"zxcv": "the value to be moved"})
meta_scenario("Removing metadata", "the value to be moved", [meta_op("remove")], 200, {})


def post_flat_card_and_get_it(w):
    resp = w.c.request("POST", "/cards", {"expiration_month": 12, "cvv": 123,
                                          "number": 5105105105105100, "expiration_year": 2020})
    w.card_id = first(resp, "cards", "id")
    w.c.request("GET", first(resp, "cards", "href"), None)


simple("cards", "Associating a card to a marketplace with GET", [post_flat_card_and_get_it],
       "GET", "/cards", None, None, then=require(
           "card {card_id} is not first in GET /cards",
           lambda w, r: first(r, "cards", "id") == w.card_id))


# customers.feature

ADDRESS = {"line1": "123 Fake street", "line2": "Suite 345", "city": "San Francisco",
           "state": "California", "postal_code": "94000", "country_code": "US"}
UPDATE = {"email": "asdf@balancedpayments.com", "address": ADDRESS,
          "business_name": "Lucky something", "ein": "999999999",
          "meta": {"fb_account": "48120"}, "phone": "1231231234"}


simple("customers", "Creating a customer", [], "POST", "/customers",
       {"customers": [{"name": "Customer name", "email": "email@example.com",
                       "ssn_last4": "5555"}]},
       201, "customers", ("customer", {"name": "Customer name", "email": "email@example.com"}))
simple("customers", "Creating a business customer", [], "POST", "/customers",
       {"business_name": "Lucky something", "phone": "123123123", "ein": "999999999",
        "address": ADDRESS}, 201, "customers")
simple("customers", "Get a customer", [CUST], "GET", at("/customers/{customer_id}"), None,
       200, "customers")
# 'there should be more than two customers paged' checks for at least two.
simple("customers", "List all customers", [CUST, CUST], "GET", "/customers", None, 200,
       then=require("expected at least two customers",
                    lambda w, r: len(listed(r, "customers") or []) >= 2))
# customers.rb sends this DELETE itself, without a body.
simple("customers", "Remove a customer", [CUST], "DELETE", at("/customers/{customer_id}"),
       NO_BODY, 204, then=no_body)
simple("customers", "Update a customer", [CUST], "PUT",
       lambda w: first(w.c.last, "customers", "href"), {"customers": [UPDATE]},
       200, "customers", ("customer", UPDATE))
simple("customers", "Add a card to a customer", [T, keep_card, CUST], "PUT",
       at("/cards/{first_card_id}"), lambda w: {"cards": [{"links": {"customer": w.customer_id}}]},
       200, "cards", ("card", lambda w: {"links": {"customer": w.customer_id}}))
simple("customers", "Creating a customer (2)", [], "POST", "/customers",
       {"customers": [{"name": "Balanced Testing"}]},
       201, "customers", ("customer", {"name": "Balanced Testing"}))


def henry_ford_not_underwritten(w):
    """POST /customers (envelope, name only); fields: merchant_status no-match."""
    resp = w.c.request("POST", "/customers", {"customers": [{"name": "Henry Ford"}]})
    fields_on_this(resp, "customer", {"merchant_status": "no-match"})


simple("customers", "Underwrite a customer", [henry_ford_not_underwritten], "PUT",
       lambda w: first(w.c.last, "customers", "href"),
       {"customers": [{"name": "Henry Ford", "dob_month": 7, "dob_year": 1963,
                       "address": {"postal_code": "48120"}}]},
       200, "customers", ("customer", {"merchant_status": "underwritten"}))


# card_holds.feature

simple("card_holds", "Creating a hold", [T], "POST", at("/cards/{card_id}/card_holds"),
       {"amount": 1234, "description": "something for the dashboard",
        "meta": {"something": "random"}}, 201, "card_holds")
simple("card_holds", "Capturing a hold", [HOLD], "POST", at("/card_holds/{card_hold_id}/debits"),
       ENV, 201, "debits")
simple("card_holds", "Voiding a hold", [HOLD, World.remember_hold], "DELETE",
       lambda w: w.hold_href, None, 200, "card_holds", then=require(
           "card_holds[0].voided_at is not set",
           lambda w, r: first(r, "card_holds", "voided_at") is not None))
simple("card_holds", "Voided holds aren't visible from the index",
       [World.voided_hold, World.fetch_card], "GET", "/card_holds", None, None,
       then=require("voided hold {void_id} is listed", lambda w, r: listed(r, "card_holds")
                    is not None and all(h.get("id") != w.void_id for h in listed(r, "card_holds"))))
for _name, _body in [("Updating a hold description",
                      {"description": "the new description of a hold"}),
                     ("Updating a hold meta", {"meta": {"something": "random"}})]:
    simple("card_holds", _name, [HOLD], "PUT", at("/card_holds/{card_hold_id}"), _body, 200,
           "card_holds", ("card_hold", _body))


# debits.feature

CUSTOMER_DEBIT = {"amount": 2000, "meta": {"product_id": "123123123"},
                  "description": "Bob is giving me some $$$"}
simple("debits", "Debiting a card", [T], "POST", at("/cards/{card_id}/debits"),
       {"debits": [{"amount": 20000}]}, 201, "debits", ("debit", {"amount": 20000}))
simple("debits", "Retrieving debits for a card", [DEB], "GET", at("/cards/{card_id}/debits"),
       None, 200, "debits",
       then=fields_on_these("debits", lambda w: {"links": {"source": w.card_id}}))
simple("debits", "Debiting a customer", [World.customer_with_card], "POST",
       at("/customers/{customer_id}/debits"), {"debits": [CUSTOMER_DEBIT]}, 201, "debits",
       ("debit", lambda w: dict(CUSTOMER_DEBIT, links={"customer": w.customer_id})))
simple("debits", "List debits", [DEB, DEB], "GET", "/debits", None, 200, "debits")
simple("debits", "Update a debit description", [DEB], "PUT", at("/debits/{debit_id}"),
       {"description": "something useful"}, 200, "debits",
       ("debit", {"description": "something useful"}))
simple("debits", "Update a debit meta", [DEB], "PUT", at("/debits/{debit_id}"),
       {"debits": [{"meta": {"order.status": "shipped"}}]}, 200, "debits",
       ("debit", {"meta": {"order.status": "shipped"}}))
simple("debits", "Refund a debit", [DEB], "POST", at("/debits/{debit_id}/refunds"),
       ENV, 201, "refunds")
simple("debits", "Debit a card (link cards.debits)", [T], "POST",
       lambda w: w.c.get_link("cards.debits"), {"debits": [{"amount": 2000}]}, 201, "debits")
simple("debits", "Debit a card (POST /debits with source href)", [T], "POST", "/debits",
       lambda w: {"amount": 2000, "source": w.card_href}, 201, "debits")
simple("debits", "Debit a customer card", [World.tokenized_customer_card], "POST",
       lambda w: w.c.get_link("cards.debits"), {"debits": [{"amount": 2000}]}, 201, "debits")
simple("debits", "Debit a customer", [CUST], "POST", lambda w: w.c.get_link("customers.debits"),
       {"debits": [{"amount": 1234}]}, 201, "debits")
# The 409 body is also checked against errors.json, like every error body.
simple("debits", "Failing to debit a customer", [World.customer_without_source], "POST",
       lambda w: w.c.get_link("customers.debits"), {"debits": [{"amount": 8979}]}, 409,
       "debits")
simple("debits", "Debiting a card directly", [], "POST", "/debits",
       {"debits": [{"amount": 1234, "source": {"number": VISA, "expiration_year": "2018",
                                                "expiration_month": 12}}]}, 201, "debits")
simple("debits", "Debit unassociated card", [T], "POST", at("/cards/{card_id}/debits"),
       {"debits": [{"amount": 5000}]}, 201, "debits")


# refunds.feature

CUSTOMER_CARD_DEBITED = [World.tokenized_customer_card, World.debited_that_card]
simple("refunds", "Creating a full refund", [DEB], "POST", at("/debits/{debit_id}/refunds"),
       ENV, 201, "refunds")
simple("refunds", "Creating a partial refund", [DEB], "POST", at("/debits/{debit_id}/refunds"),
       {"refunds": [{"amount": 100, "description": "The customer was unhappy",
                     "meta": {"reason": "not shipped"}}]},
       201, "refunds", ("refund", {"amount": 100}))
simple("refunds", "Listing refunds for a debit", [REF], "GET", at("/debits/{debit_id}/refunds"),
       None, 200, "refunds",
       then=fields_on_these("refunds", lambda w: {"links": {"debit": w.debit_id}}))
simple("refunds", "Retrieving a refund", [REF], "GET", at("/refunds/{refund_id}"), None, 200,
       "refunds")
simple("refunds", "Update a refund description", [REF], "PUT", at("/refunds/{refund_id}"),
       {"refunds": [{"description": "The customer cancel the order"}]}, 200, "refunds",
       ("refund", {"description": "The customer cancel the order"}))
simple("refunds", "Update a refund meta", [REF], "PUT", at("/refunds/{refund_id}"),
       {"meta": {"something": "random"}}, 200, "refunds",
       ("refund", {"meta": {"something": "random"}}))
simple("refunds", "Create a refund", CUSTOMER_CARD_DEBITED, "POST",
       lambda w: w.c.get_link("debits.refunds"), {}, 201, "refunds")
simple("refunds", "Create a failed refund", CUSTOMER_CARD_DEBITED, "POST",
       lambda w: w.c.get_link("debits.refunds"), {"refunds": [{"amount": 200000000}]},
       400, "errors")


@scenario("refunds", "Refund after changed source")
def _(w):
    # Given I have created a debit (debits.rb)
    w.created_customer()
    resp = w.c.request("POST", w.c.get_link("customers.debits"), {"amount": 1234})
    expect(resp, 201, "debits", w.c)
    debit_url = first(resp, "debits", "href")
    # When I change the default funding source
    other = w.c.request("POST", "/cards", {"number": "4111 1111 1111 1111",
                                          "expiration_month": 12, "expiration_year": 2016})
    w.c.request("PATCH", w.customer_url, [{"op": "replace", "path": "/customers/0/links/source",
                                           "value": first(other, "cards", "id")}])
    # And I create a refund (of a new debit, on a new card)
    original_card_id = w.card_id
    w.created_refund()
    # Then the refund should go to the original card
    resp = w.c.request("GET", debit_url, None)
    expect(resp, 200, "debits", w.c)
    fields_on_these("debits", {"links": {"source": original_card_id}})(w, resp)


# ---- runner -----------------------------------------------------------------

def setup(client):
    """features/support/initial_setup.rb: an API key, then a marketplace."""
    resp = client.request("POST", "/api_keys", auth=False)
    client.secret = first(resp, "api_keys", "secret")
    if not isinstance(client.secret, str):
        raise Failure(f"api_keys[0].secret is not a string [{resp.summary()}]")
    client.request("POST", "/marketplaces")


def describe(exc):
    if isinstance(exc, Failure):
        return str(exc)
    return f"{type(exc).__name__}: {excerpt(exc, 300)}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True,
                        help="API root, e.g. http://127.0.0.1:8080/payments")
    parser.add_argument("--spec", required=True, help="directory holding fixtures/")
    parser.add_argument("--verbose", action="store_true", help="print every request on stderr")
    parser.add_argument("--only", default="",
                        help='run only scenarios whose "feature: name" contains this')
    args = parser.parse_args(argv)
    client = Client(args.base, Schemas(args.spec), args.verbose)
    results = []

    def report(label, error):
        results.append(error is None)
        print(f"PASS {label}" if error is None else f"FAIL {label} — {error}", flush=True)

    try:
        setup(client)
        report("setup: api_keys and marketplaces", None)
    except Exception as exc:  # noqa: BLE001 - every error is reported, never raised
        report("setup: api_keys and marketplaces", describe(exc))
    for feature, name, run in SCENARIOS:
        label = f"{feature}: {name}"
        if args.only not in label:
            continue
        if args.verbose:
            print(f"--- {label}", file=sys.stderr)
        try:
            run(World(client))
            report(label, None)
        except Exception as exc:  # noqa: BLE001 - an exception is that scenario's failure
            report(label, describe(exc))
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
