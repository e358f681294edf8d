#!/usr/bin/env python3
"""Spec-conformance checker for the payments API (Balanced API revision 1.1).

Runs the self-contained cucumber scenarios of Balanced's published specification
(the `balanced/balanced-api` repository: the customers, cards, card_holds, debits
and refunds features, without the scenarios that need bank accounts or orders,
and without the ones tagged @failing) against a running server. Each scenario is
one Python function that sends the same requests as Balanced's cucumber steps
(the same bodies: envelope, flat or form-encoded; the same links followed) and
makes the same assertions.

Every non-204 response must be JSON (its Content-Type must contain
application/json). Each one is validated with jsonschema (draft 4) against the
matching schema from the specification's fixtures directory: errors against
errors.json, and everything else against the envelope named by its top-level
key (cards.json, debits.json, ...). `$ref`s are resolved inside that directory.

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

# The card every "I have tokenized a card" step creates (cards.rb).
TC_BODY = {"number": "4111 1111 1111 1111", "expiration_month": 12,
           "expiration_year": 2016, "cvv": "123",
           "address": {"line1": "965 Mission St", "postal_code": "94103"}}
# "I have tokenized a customer card" (cards.rb).
CUSTOMER_CARD_BODY = {"number": "4111111111111111", "expiration_month": "12",
                      "expiration_year": 2016}


class Failure(Exception):
    """An assertion of a scenario did not hold."""


def excerpt(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


# --------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------

def load_json_lenient(path):
    """Load a fixture, tolerating the trailing commas of marketplaces.json."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def _date_time(value):
    if not isinstance(value, str):
        return True
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?"
                        r"([Zz]|[+-]\d{2}:?\d{2})", value) is not None


def _uri(value):
    # Relative references such as "/cards/CC123" are valid URIs here.
    if not isinstance(value, str):
        return True
    if re.search(r"\s", value):
        return False
    try:
        urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return True


def _known_type(checker, name):
    try:
        checker.is_type(None, name)
    except jsonschema.exceptions.UndefinedTypeCheck:
        return False
    return True


class Schemas:
    """The fixtures directory, loaded into a draft-4 validator with local $refs."""

    def __init__(self, spec_dir):
        self.root = Path(spec_dir, "fixtures").resolve()
        if not self.root.is_dir():
            raise SystemExit(f"spec-check: no fixtures directory at {self.root}")
        resources, type_names = [], set()
        for path in sorted(self.root.rglob("*.json")):
            doc = load_json_lenient(path)
            resources.append((path.as_uri(), DRAFT4.create_resource(doc)))
            type_names |= self._types(doc)
        self.registry = Registry().with_resources(resources)
        # The fixtures contain typos such as "type": "stirng". Ruby's json-schema
        # gem accepts any value for a type it does not know; do the same.
        checker = jsonschema.Draft4Validator.TYPE_CHECKER
        unknown = [name for name in type_names if not _known_type(checker, name)]
        checker = checker.redefine_many(
            {name: (lambda _checker, _instance: True) for name in unknown})
        self.validator_class = jsonschema.validators.extend(
            jsonschema.Draft4Validator, type_checker=checker)
        self.format_checker = jsonschema.FormatChecker(formats=())
        self.format_checker.checks("date-time")(_date_time)
        self.format_checker.checks("uri")(_uri)
        self.validators = {}

    def _types(self, node):
        found = set()
        if isinstance(node, dict):
            kind = node.get("type")
            if isinstance(kind, str):
                found.add(kind)
            elif isinstance(kind, list):
                found |= {k for k in kind if isinstance(k, str)}
            for value in node.values():
                found |= self._types(value)
        elif isinstance(node, list):
            for value in node:
                found |= self._types(value)
        return found

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


# --------------------------------------------------------------------------
# HTTP client
# --------------------------------------------------------------------------

class Response:
    def __init__(self, method, path, sent, status, headers, text):
        self.method, self.path, self.sent = method, path, sent
        self.status, self.headers, self.text = status, headers, text
        self.body = None

    def summary(self):
        sent = f" {excerpt(self.sent, 100)}" if self.sent else ""
        body = f" {excerpt(self.text)}" if self.text else " (empty body)"
        return f"{self.method} {self.path}{sent} → {self.status}{body}"


class Client:
    """Sends requests the way Balanced's test client does, and checks every response."""

    def __init__(self, base, schemas, verbose=False):
        self.base = base.rstrip("/")
        self.schemas = schemas
        self.verbose = verbose
        self.secret = ""
        self.session = requests.Session()
        self.history = []

    @property
    def last(self):
        return self.history[-1] if self.history else None

    def request(self, method, path, body=NO_BODY, form=None, auth=True, schema=None):
        """Send one request.

        body: sent as JSON with Content-Type application/json (None is sent as `null`).
        form: a dict sent form-urlencoded with bracket keys, the way HTTParty does.
        Neither: no body and no Content-Type.
        """
        headers = {"Accept": ACCEPT}
        data, sent = None, ""
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
            raise Failure(f"{method} {path}: no response ({excerpt(exc, 200)})") from None
        resp = Response(method, path, sent, raw.status_code, raw.headers, raw.text)
        self.history.append(resp)
        if self.verbose:
            print(f"    {resp.summary()}", file=sys.stderr)
        self._check(resp, schema)
        return resp

    def _check(self, resp, schema):
        """Every non-204 response is JSON and valid against its schema."""
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
            items = resp.body.get(schema) if schema else None
            if schema is None or (isinstance(items, list) and not items):
                return  # no envelope to check, or an empty collection
        problem = self.schemas.check(schema, resp.body)
        if problem:
            raise Failure(f"{problem} [{resp.summary()}]")

    # -- helpers mirroring the steps of http_steps.rb and tiny_client.rb --

    def get_link(self, key):
        """TinyClient#get_link: the newest response carrying links[key], its
        `{resource.field}` placeholders filled from that response."""
        for resp in reversed(self.history):
            links = (resp.body or {}).get("links") or {}
            if isinstance(links, dict) and isinstance(links.get(key), str):
                return fill(links[key], resp.body)
        raise Failure(f'no earlier response has links["{key}"]')


def form_encode(data, prefix=None):
    """HTTParty's HashConversions.to_params: `meta[create]=can%20set%20on%20create`."""
    parts = []
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict):
            parts.append(form_encode(value, name))
        else:
            parts.append(f"{name}={urllib.parse.quote(str(value), safe='')}")
    return "&".join(p for p in parts if p)


def fill(template, body):
    """Replace `{cards.id}` by body["cards"][0]["id"] (or its links["id"])."""
    def one(match):
        resource, field = match.group(1), match.group(2)
        try:
            item = body[resource][0]
            value = item.get(field) or item["links"][field]
        except (KeyError, IndexError, TypeError):
            raise Failure(f"cannot fill {match.group(0)} in {template!r}") from None
        return str(value)
    return re.sub(r"\{(\w+)\.(\w+)\}", one, template)


# --------------------------------------------------------------------------
# Assertions (the Then steps of http_steps.rb)
# --------------------------------------------------------------------------

def first(resp, key, field):
    """`@client[key][field]`: a field of the first item of an envelope."""
    try:
        value = resp.body[key][0][field]
    except (KeyError, IndexError, TypeError):
        raise Failure(f"response has no {key}[0].{field} [{resp.summary()}]") from None
    return value


def expect_status(resp, code):
    if resp.status != code:
        raise Failure(f"expected status {code}, got {resp.status} [{resp.summary()}]")


def expect_valid(client, resp, name):
    """'the response is valid according to the "<name>" schema'."""
    if resp.body is None:
        raise Failure(f"expected a body valid against {name}.json [{resp.summary()}]")
    problem = client.schemas.check(name, resp.body)
    if problem:
        raise Failure(f"{problem} [{resp.summary()}]")


def expect_no_body(resp):
    if resp.text:
        raise Failure(f"expected no response body [{resp.summary()}]")


def _same(expected, got):
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    return type(got) in (int, float, str) and expected == got


def check_fields(expected, actual, nesting, resp):
    """http_steps.rb `checker`: every expected leaf equals the actual one; nested
    objects are compared key by key, so extra actual keys are allowed."""
    if not isinstance(actual, dict):
        raise Failure(f"{nesting or 'body'}: expected an object, got {excerpt(json.dumps(actual))} "
                      f"[{resp.summary()}]")
    for key, value in expected.items():
        got = actual.get(key)
        where = f"{nesting}>{key}"
        if isinstance(value, dict):
            check_fields(value, got, where, resp)
        elif value is None:
            if got is not None:
                raise Failure(f"{where}: expected null, got {json.dumps(got)} [{resp.summary()}]")
        elif not _same(value, got):
            raise Failure(f"{where}: expected {json.dumps(value)}, got {json.dumps(got)} "
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


def fields_on_these(resp, key, expected):
    """'the fields on these <key> match:' (every item)."""
    items = (resp.body or {}).get(key)
    if not isinstance(items, list):
        raise Failure(f"response has no {key} list [{resp.summary()}]")
    for item in items:
        check_fields(expected, item, "", resp)


# --------------------------------------------------------------------------
# Given steps (fixtures from the step definitions)
# --------------------------------------------------------------------------

class World:
    """One scenario's state: the instance variables of the cucumber world."""

    def __init__(self, client):
        self.c = client
        self.card_id = self.card_href = self.customer_id = self.customer_url = None
        self.debit_id = self.debit_url = self.refund_id = None
        self.card_hold_id = self.void_id = None

    def env(self):
        """http_steps.rb `env`: sent as the JSON body of a POST that has none."""
        return {"bank_accounts_id": None, "credits_id": None, "cards_id": self.card_id,
                "debits_id": self.debit_id, "customers_id": self.customer_id,
                "customers_source": None, "orders_id": None}

    def tokenized_card(self):
        """I have tokenized a card."""
        resp = self.c.request("POST", "/cards", TC_BODY)
        self.card_id = first(resp, "cards", "id")
        self.card_href = first(resp, "cards", "href")
        return resp

    def tokenized_customer_card(self):
        """I have tokenized a customer card."""
        resp = self.c.request("POST", "/cards", CUSTOMER_CARD_BODY)
        self.card_id = first(resp, "cards", "id")
        return resp

    def created_customer(self):
        """I have created a customer (customers.rb): the customer gets a card as source."""
        c = self.c
        resp = c.request("POST", "/customers", {"name": "Henry Ford", "dob_year": "1963",
                                                "dob_month": "07",
                                                "address": {"postal_code": "48120"}})
        customer_id = first(resp, "customers", "id")
        self.customer_url = first(resp, "customers", "href")
        accounts = c.request("GET", f"{self.customer_url}/accounts", None)
        if not isinstance(accounts.body.get("accounts"), list):
            raise Failure(f'GET {{href}}/accounts must return {{"accounts": [...]}} '
                          f"[{accounts.summary()}]")
        self.customer_id = customer_id
        card = c.request("POST", "/cards", TC_BODY)
        card_url, self.card_id = first(card, "cards", "href"), first(card, "cards", "id")
        c.request("PATCH", card_url, [{"op": "replace", "path": "/cards/0/links/customer",
                                       "value": self.customer_id}])
        c.request("PATCH", self.customer_url, [{"op": "replace",
                                                "path": "/customers/0/links/source",
                                                "value": self.card_id}])
        return c.request("GET", self.customer_url, None)

    def customer_without_source(self):
        """I have created a customer without a card and bank account."""
        resp = self.c.request("POST", "/customers", {})
        self.customer_id = first(resp, "customers", "id")
        self.customer_url = first(resp, "customers", "href")

    def debited_card(self):
        """I have debited a card (debits.rb)."""
        self.tokenized_card()
        resp = self.c.request("POST", f"/cards/{self.card_id}/debits", {"amount": 1234})
        self.debit_id = first(resp, "debits", "id")
        return resp

    def debited_that_card(self):
        """I have debited that card (cards.rb): the cards.debits link, filled from env."""
        link = (self.c.last.body or {}).get("links", {}).get("cards.debits")
        if not isinstance(link, str):
            raise Failure(f'response has no links["cards.debits"] [{self.c.last.summary()}]')
        resp = self.c.request("POST", link.replace("{cards.id}", str(self.card_id)),
                              {"amount": 2000})
        self.debit_id = first(resp, "debits", "id")

    def created_refund(self):
        """I have created a refund for a debit (refund.rb)."""
        self.debited_card()
        resp = self.c.request("POST", f"/debits/{self.debit_id}/refunds", {})
        self.refund_id = first(resp, "refunds", "id")

    def created_hold(self):
        """I have created a hold (hold.rb)."""
        card = self.tokenized_card()
        link = (card.body.get("links") or {}).get("cards.card_holds")
        if not isinstance(link, str):
            raise Failure(f'response has no links["cards.card_holds"] [{card.summary()}]')
        resp = self.c.request("POST", link.replace("{cards.id}", str(self.card_id)), {"amount": 100})
        self.card_hold_id = first(resp, "card_holds", "id")
        return resp

    def delete_it(self):
        """When I make a DELETE request to it (hold.rb)."""
        last = self.c.last
        href = first(last, "card_holds", "href")
        self.void_id = first(last, "card_holds", "id")
        return self.c.request("DELETE", href, None)

    def unstored_card(self):
        """I have unstored a card (cards.rb)."""
        self.tokenized_card()
        self.c.request("DELETE", f"/cards/{self.card_id}", None)

    def patch_card_href(self, ops):
        """I make a PATCH request to the href "href" (of the last response's card)."""
        return self.c.request("PATCH", first(self.c.last, "cards", "href"), ops)

    def fetch(self, resource_id):
        """I fetch the <resource>: GET /resources/{id}."""
        return self.c.request("GET", f"/resources/{resource_id}", None)


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------

SCENARIOS = []


def scenario(feature, name):
    def register(fn):
        SCENARIOS.append((feature, name, fn))
        return fn
    return register


def post_card(w, card):
    return w.c.request("POST", "/cards", {"cards": [card]})


def card_fields_scenario(feature, name, card, expected):
    """The AVS, brand and CVV scenarios: POST an envelope, 201, valid, one field."""
    def run(w):
        resp = post_card(w, dict(card, expiration_month=12, expiration_year=2016))
        expect_status(resp, 201)
        expect_valid(w.c, resp, "cards")
        fields_on_this(resp, "card", expected)
    scenario(feature, name)(run)


# ---- cards.feature --------------------------------------------------------

@scenario("cards", "Tokenize a card without a secret key")
def _(w):
    resp = w.c.request("POST", "/cards", auth=False, schema="card_tokens",
                       form={"number": "4111111111111111", "expiration_month": "12",
                             "expiration_year": 2016, "meta": {"create": "can set on create"}})
    expect_status(resp, 201)
    expect_valid(w.c, resp, "card_tokens")
    resp = w.c.request("GET", first(resp, "cards", "href"), None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "cards")
    fields_on_this(resp, "card", {"can_credit": False, "can_debit": True,
                                  "bank_name": "JPMORGAN CHASE BANK, N.A."})


@scenario("cards", "Retrieve a card")
def _(w):
    w.tokenized_card()
    resp = w.c.request("GET", f"/cards/{w.card_id}", None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "cards")


@scenario("cards", "List cards")
def _(w):
    w.tokenized_card()
    w.tokenized_card()
    resp = w.c.request("GET", "/cards", None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "cards")


@scenario("cards", "Remove a card")
def _(w):
    w.tokenized_card()
    resp = w.c.request("DELETE", f"/cards/{w.card_id}", None)
    expect_status(resp, 204)
    expect_no_body(resp)


@scenario("cards", "Update a card")
def _(w):
    w.tokenized_card()
    resp = w.c.request("PUT", f"/cards/{w.card_id}",
                       {"cards": [{"meta": {"something": "random"}}]})
    expect_status(resp, 200)
    expect_valid(w.c, resp, "cards")


@scenario("cards", "Debit a card")
def _(w):
    w.tokenized_card()
    resp = w.c.request("POST", f"/cards/{w.card_id}/debits", {"debits": [{"amount": "50"}]})
    expect_status(resp, 201)
    expect_valid(w.c, resp, "debits")


@scenario("cards", "Add a card to a customer")
def _(w):
    w.tokenized_card()
    card_id = w.card_id  # the :card_id token keeps the first card
    w.created_customer()
    resp = w.c.request("PATCH", f"/cards/{card_id}", [
        {"op": "replace", "path": "/cards/0/links/customer", "value": w.customer_id}])
    expect_status(resp, 200)
    resp = w.c.request("GET", f"/cards/{card_id}", None)
    expect_valid(w.c, resp, "cards")
    fields_on_this(resp, "card", {"links": {"customer": w.customer_id}})


for _name, _card, _expected in [
        ("AVS Postal code matches", {"address": {"postal_code": "94301"}},
         {"avs_postal_match": "yes"}),
        ("AVS Postal code does not match", {"address": {"postal_code": "90210"}},
         {"avs_postal_match": "no"}),
        ("AVS Postal code is unsupported", {"address": {"postal_code": "90211"}},
         {"avs_postal_match": "unsupported"}),
        ("AVS Postal code is unused", {}, {"avs_postal_match": None}),
        ("AVS street matches",
         {"address": {"line1": "965 Mission St", "postal_code": "94103"}},
         {"avs_street_match": "yes"}),
        ("AVS street does not match",
         {"address": {"line1": "21 Jump St", "postal_code": "90210"}},
         {"avs_street_match": "no"}),
        ("AVS street match is null", {}, {"avs_street_match": None})]:
    card_fields_scenario("cards", _name, dict(_card, number="4111111111111111"), _expected)

for _name, _number, _brand in [
        ("Detect a Visa card brand", "4111 1111 1111 1111", "Visa"),
        ("Detect a Mastercard card brand", "5105 1051 0510 5100", "MasterCard"),
        ("Detect an American Express card brand", "3782 822463 10005", "American Express"),
        ("Detect a Discover card brand", "6011 1111 1111 1117", "Discover")]:
    card_fields_scenario("cards", _name, {"number": _number}, {"brand": _brand})


@scenario("cards", "Tokenizing a card")
def _(w):
    steps = [
        ({"number": "4111 1111 1111 1111", "expiration_month": "12", "expiration_year": "2016"},
         {"expiration_month": 12, "expiration_year": 2016}),
        ({"name": "Frida Kahlo", "number": "4111 1111 1111 1111", "expiration_month": 12,
          "expiration_year": 2016}, {"name": "Frida Kahlo"}),
        ({"number": "4111 1111 1111 1111", "expiration_month": 12, "expiration_year": 2016,
          "address": {"line1": "7 Bis Rue de l'Abbé de l'Épée", "line2": "Apt 4",
                      "city": "Versailles", "postal_code": "78000", "country_code": "FR"}},
         {"address": {"line1": "7 Bis Rue de l'Abbé de l'Épée", "line2": "Apt 4",
                      "city": "Versailles", "state": None, "postal_code": "78000",
                      "country_code": "FR"}})]
    for card, expected in steps:
        resp = post_card(w, card)
        expect_status(resp, 201)
        expect_valid(w.c, resp, "cards")
        fields_on_this(resp, "card", expected)


@scenario("cards", "Tokenization fails luhn test")
def _(w):
    resp = post_card(w, {"number": "4111111111111112", "expiration_month": 12,
                         "expiration_year": 2016})
    expect_status(resp, 409)
    expect_valid(w.c, resp, "errors")
    fields_on_this(resp, "error", {"category_code": "card-not-validated"})


@scenario("cards", "Unstore a card")
def _(w):
    w.tokenized_card()
    expect_status(w.c.request("DELETE", f"/cards/{w.card_id}", None), 204)


@scenario("cards", "Unstored cards aren't visible from the index")
def _(w):
    w.unstored_card()
    resp = w.c.request("GET", "/cards", None)
    ids = [card.get("id") for card in (resp.body or {}).get("cards", [])]
    if "cards" not in (resp.body or {}) or w.card_id in ids:
        raise Failure(f"unstored card {w.card_id} is listed [{resp.summary()}]")


@scenario("cards", "Unstored cards are still GET-able")
def _(w):
    w.unstored_card()
    resp = w.c.request("GET", w.card_href, None)
    cards = (resp.body or {}).get("cards")
    if not isinstance(cards, list) or any(card.get("id") != w.card_id for card in cards):
        raise Failure(f"GET of unstored card {w.card_id} did not return it [{resp.summary()}]")


for _name, _number, _cvv, _match in [
        ("CVV matches", "4111111111111111", "123", "yes"),
        ("CVV does not match", "5112000200000002", "200", "no"),
        ("CVV is unsupported", "4457000300000007 ", "901", "unsupported"),
        ("CVV is unused", "4111111111111111", None, None)]:
    card_fields_scenario("cards", _name,
                         {"number": _number, **({"cvv": _cvv} if _cvv else {})},
                         {"cvv_match": _match})


def meta_add(w, value):
    w.tokenized_card()
    return w.patch_card_href([{"op": "add", "path": "/cards/0/meta/asdf", "value": value}])


def meta_scenario(name, first_value, ops, status, expected):
    def run(w):
        meta_add(w, first_value)
        w.fetch(w.card_id)
        resp = w.patch_card_href(ops)
        expect_status(resp, status)
        if status == 200:
            expect_valid(w.c, resp, "cards")
            fields_on_this(resp, "card", {"meta": expected})
        else:
            expect_valid(w.c, resp, "errors")
    scenario("cards", name)(run)


@scenario("cards", "Adding card metadata")
def _(w):
    resp = meta_add(w, "the value to be added")
    expect_status(resp, 200)
    expect_valid(w.c, resp, "cards")
    fields_on_this(resp, "card", {"meta": {"asdf": "the value to be added"}})


meta_scenario("Updating card metadata", "the value to be added",
              [{"op": "replace", "path": "/cards/0/meta/asdf", "value": "new value"}],
              200, {"asdf": "new value"})
meta_scenario("Safely updating the metadata", "the value to be tested",
              [{"op": "test", "path": "/cards/0/meta/asdf", "value": "the value to be tested"},
               {"op": "replace", "path": "/cards/0/meta/asdf",
                "value": "after checking the value"}],
              200, {"asdf": "after checking the value"})
meta_scenario("Failing to safely update the metadata", "the value to be tested",
              [{"op": "test", "path": "/cards/0/meta/asdf", "value": "not the right value"},
               {"op": "replace", "path": "/cards/0/meta/asdf",
                "value": "after checking the value"}],
              409, None)
meta_scenario("Moving metadata", "the value to be moved",
              [{"op": "move", "from": "/cards/0/meta/asdf", "path": "/cards/0/meta/zxcv"}],
              200, {"zxcv": "the value to be moved"})
meta_scenario("Removing metadata", "the value to be moved",
              [{"op": "remove", "path": "/cards/0/meta/asdf"}], 200, {})


@scenario("cards", "Associating a card to a marketplace with GET")
def _(w):
    resp = w.c.request("POST", "/cards", {"expiration_month": 12, "cvv": 123,
                                          "number": 5105105105105100, "expiration_year": 2020})
    card_id = first(resp, "cards", "id")
    w.c.request("GET", first(resp, "cards", "href"), None)
    resp = w.c.request("GET", "/cards", None)
    if first(resp, "cards", "id") != card_id:
        raise Failure(f"card {card_id} is not first in GET /cards [{resp.summary()}]")


# ---- customers.feature ----------------------------------------------------

def create_customer_scenario(name, body, expected):
    def run(w):
        resp = w.c.request("POST", "/customers", body)
        expect_status(resp, 201)
        expect_valid(w.c, resp, "customers")
        if expected:
            fields_on_this(resp, "customer", expected)
    scenario("customers", name)(run)


create_customer_scenario("Creating a customer", {"customers": [
    {"name": "Customer name", "email": "email@example.com", "ssn_last4": "5555"}]},
    {"name": "Customer name", "email": "email@example.com"})

BUSINESS_ADDRESS = {"line1": "123 Fake street", "line2": "Suite 345", "city": "San Francisco",
                    "state": "California", "postal_code": "94000", "country_code": "US"}
create_customer_scenario("Creating a business customer", {
    "business_name": "Lucky something", "phone": "123123123", "ein": "999999999",
    "address": BUSINESS_ADDRESS}, None)


@scenario("customers", "Get a customer")
def _(w):
    w.created_customer()
    resp = w.c.request("GET", f"/customers/{w.customer_id}", None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "customers")


@scenario("customers", "List all customers")
def _(w):
    w.created_customer()
    w.created_customer()
    resp = w.c.request("GET", "/customers", None)
    expect_status(resp, 200)
    customers = (resp.body or {}).get("customers")
    if not isinstance(customers, list) or len(customers) < 2:
        raise Failure(f"expected at least two customers [{resp.summary()}]")


@scenario("customers", "Remove a customer")
def _(w):
    w.created_customer()
    resp = w.c.request("DELETE", f"/customers/{w.customer_id}")
    expect_status(resp, 204)
    expect_no_body(resp)


@scenario("customers", "Update a customer")
def _(w):
    w.created_customer()
    fields = {"email": "asdf@balancedpayments.com", "address": BUSINESS_ADDRESS,
              "business_name": "Lucky something", "ein": "999999999",
              "meta": {"fb_account": "48120"}, "phone": "1231231234"}
    resp = w.c.request("PUT", first(w.c.last, "customers", "href"), {"customers": [fields]})
    expect_status(resp, 200)
    expect_valid(w.c, resp, "customers")
    fields_on_this(resp, "customer", fields)


@scenario("customers", "Add a card to a customer")
def _(w):
    w.tokenized_card()
    card_id = w.card_id  # the :card_id token keeps the first card
    w.created_customer()
    resp = w.c.request("PUT", f"/cards/{card_id}",
                       {"cards": [{"links": {"customer": w.customer_id}}]})
    expect_status(resp, 200)
    expect_valid(w.c, resp, "cards")
    fields_on_this(resp, "card", {"links": {"customer": w.customer_id}})


create_customer_scenario("Creating a customer (2)",
                         {"customers": [{"name": "Balanced Testing"}]},
                         {"name": "Balanced Testing"})


@scenario("customers", "Underwrite a customer")
def _(w):
    resp = w.c.request("POST", "/customers", {"customers": [{"name": "Henry Ford"}]})
    fields_on_this(resp, "customer", {"merchant_status": "no-match"})
    resp = w.c.request("PUT", first(resp, "customers", "href"), {"customers": [
        {"name": "Henry Ford", "dob_month": 7, "dob_year": 1963,
         "address": {"postal_code": "48120"}}]})
    expect_status(resp, 200)
    expect_valid(w.c, resp, "customers")
    fields_on_this(resp, "customer", {"merchant_status": "underwritten"})


# ---- card_holds.feature ---------------------------------------------------

@scenario("card_holds", "Creating a hold")
def _(w):
    w.tokenized_card()
    resp = w.c.request("POST", f"/cards/{w.card_id}/card_holds", {
        "amount": 1234, "description": "something for the dashboard",
        "meta": {"something": "random"}})
    expect_status(resp, 201)
    expect_valid(w.c, resp, "card_holds")


@scenario("card_holds", "Capturing a hold")
def _(w):
    w.created_hold()
    resp = w.c.request("POST", f"/card_holds/{w.card_hold_id}/debits", w.env())
    expect_status(resp, 201)
    expect_valid(w.c, resp, "debits")


@scenario("card_holds", "Voiding a hold")
def _(w):
    w.created_hold()
    resp = w.delete_it()
    expect_status(resp, 200)
    expect_valid(w.c, resp, "card_holds")
    if first(resp, "card_holds", "voided_at") is None:
        raise Failure(f"card_holds[0].voided_at is not set [{resp.summary()}]")


@scenario("card_holds", "Voided holds aren't visible from the index")
def _(w):
    w.created_hold()
    w.delete_it()
    w.fetch(w.card_id)
    resp = w.c.request("GET", "/card_holds", None)
    holds = (resp.body or {}).get("card_holds")
    if not isinstance(holds, list) or any(h.get("id") == w.void_id for h in holds):
        raise Failure(f"voided hold {w.void_id} is listed [{resp.summary()}]")


def hold_update_scenario(name, body):
    def run(w):
        w.created_hold()
        resp = w.c.request("PUT", f"/card_holds/{w.card_hold_id}", body)
        expect_status(resp, 200)
        expect_valid(w.c, resp, "card_holds")
        fields_on_this(resp, "card_hold", body)
    scenario("card_holds", name)(run)


hold_update_scenario("Updating a hold description",
                     {"description": "the new description of a hold"})
hold_update_scenario("Updating a hold meta", {"meta": {"something": "random"}})


# ---- debits.feature -------------------------------------------------------

def expect_debit(w, resp, status=201, schema="debits"):
    expect_status(resp, status)
    expect_valid(w.c, resp, schema)


@scenario("debits", "Debiting a card")
def _(w):
    w.tokenized_card()
    resp = w.c.request("POST", f"/cards/{w.card_id}/debits", {"debits": [{"amount": 20000}]})
    expect_debit(w, resp)
    fields_on_this(resp, "debit", {"amount": 20000})


@scenario("debits", "Retrieving debits for a card")
def _(w):
    w.debited_card()
    resp = w.c.request("GET", f"/cards/{w.card_id}/debits", None)
    expect_debit(w, resp, 200)
    fields_on_these(resp, "debits", {"links": {"source": w.card_id}})


@scenario("debits", "Debiting a customer")
def _(w):
    w.created_customer()  # I have a customer with a card (debits.rb)
    w.tokenized_card()
    w.c.request("PUT", f"/cards/{w.card_id}", {"links": {"customer": w.customer_id}})
    body = {"amount": 2000, "meta": {"product_id": "123123123"},
            "description": "Bob is giving me some $$$"}
    resp = w.c.request("POST", f"/customers/{w.customer_id}/debits", {"debits": [body]})
    expect_debit(w, resp)
    fields_on_this(resp, "debit", dict(body, links={"customer": w.customer_id}))


@scenario("debits", "List debits")
def _(w):
    w.debited_card()
    w.debited_card()
    expect_debit(w, w.c.request("GET", "/debits", None), 200)


@scenario("debits", "Update a debit description")
def _(w):
    w.debited_card()
    resp = w.c.request("PUT", f"/debits/{w.debit_id}", {"description": "something useful"})
    expect_debit(w, resp, 200)
    fields_on_this(resp, "debit", {"description": "something useful"})


@scenario("debits", "Update a debit meta")
def _(w):
    w.debited_card()
    resp = w.c.request("PUT", f"/debits/{w.debit_id}",
                       {"debits": [{"meta": {"order.status": "shipped"}}]})
    expect_debit(w, resp, 200)
    fields_on_this(resp, "debit", {"meta": {"order.status": "shipped"}})


@scenario("debits", "Refund a debit")
def _(w):
    w.debited_card()
    resp = w.c.request("POST", f"/debits/{w.debit_id}/refunds", w.env())
    expect_debit(w, resp, 201, "refunds")


@scenario("debits", "Debit a card (link cards.debits)")
def _(w):
    w.tokenized_card()
    resp = w.c.request("POST", w.c.get_link("cards.debits"), {"debits": [{"amount": 2000}]})
    expect_debit(w, resp)


@scenario("debits", "Debit a card (POST /debits with source href)")
def _(w):
    w.tokenized_card()
    resp = w.c.request("POST", "/debits", {"amount": 2000, "source": w.card_href})
    expect_debit(w, resp)


@scenario("debits", "Debit a customer card")
def _(w):
    w.tokenized_customer_card()
    resp = w.c.request("POST", w.c.get_link("cards.debits"), {"debits": [{"amount": 2000}]})
    expect_debit(w, resp)


@scenario("debits", "Debit a customer")
def _(w):
    w.created_customer()
    resp = w.c.request("POST", w.c.get_link("customers.debits"), {"debits": [{"amount": 1234}]})
    expect_debit(w, resp)


@scenario("debits", "Failing to debit a customer")
def _(w):
    w.customer_without_source()
    resp = w.c.request("POST", w.c.get_link("customers.debits"), {"debits": [{"amount": 8979}]})
    expect_debit(w, resp, 409)  # the 409 body was also checked against errors.json


@scenario("debits", "Debiting a card directly")
def _(w):
    resp = w.c.request("POST", "/debits", {"debits": [{"amount": 1234, "source": {
        "number": "4111111111111111", "expiration_year": "2018", "expiration_month": 12}}]})
    expect_debit(w, resp)


@scenario("debits", "Debit unassociated card")
def _(w):
    w.tokenized_card()
    resp = w.c.request("POST", f"/cards/{w.card_id}/debits", {"debits": [{"amount": 5000}]})
    expect_debit(w, resp)


# ---- refunds.feature ------------------------------------------------------

@scenario("refunds", "Creating a full refund")
def _(w):
    w.debited_card()
    resp = w.c.request("POST", f"/debits/{w.debit_id}/refunds", w.env())
    expect_status(resp, 201)
    expect_valid(w.c, resp, "refunds")


@scenario("refunds", "Creating a partial refund")
def _(w):
    w.debited_card()
    resp = w.c.request("POST", f"/debits/{w.debit_id}/refunds", {"refunds": [
        {"amount": 100, "description": "The customer was unhappy",
         "meta": {"reason": "not shipped"}}]})
    expect_status(resp, 201)
    expect_valid(w.c, resp, "refunds")
    fields_on_this(resp, "refund", {"amount": 100})


@scenario("refunds", "Listing refunds for a debit")
def _(w):
    w.created_refund()
    resp = w.c.request("GET", f"/debits/{w.debit_id}/refunds", None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "refunds")
    fields_on_these(resp, "refunds", {"links": {"debit": w.debit_id}})


@scenario("refunds", "Retrieving a refund")
def _(w):
    w.created_refund()
    resp = w.c.request("GET", f"/refunds/{w.refund_id}", None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "refunds")


def refund_update_scenario(name, body, expected):
    def run(w):
        w.created_refund()
        resp = w.c.request("PUT", f"/refunds/{w.refund_id}", body)
        expect_status(resp, 200)
        expect_valid(w.c, resp, "refunds")
        fields_on_this(resp, "refund", expected)
    scenario("refunds", name)(run)


refund_update_scenario("Update a refund description",
                       {"refunds": [{"description": "The customer cancel the order"}]},
                       {"description": "The customer cancel the order"})
refund_update_scenario("Update a refund meta", {"meta": {"something": "random"}},
                       {"meta": {"something": "random"}})


@scenario("refunds", "Create a refund")
def _(w):
    w.tokenized_customer_card()
    w.debited_that_card()
    resp = w.c.request("POST", w.c.get_link("debits.refunds"), {})
    expect_status(resp, 201)
    expect_valid(w.c, resp, "refunds")


@scenario("refunds", "Create a failed refund")
def _(w):
    w.tokenized_customer_card()
    w.debited_that_card()
    resp = w.c.request("POST", w.c.get_link("debits.refunds"),
                       {"refunds": [{"amount": 200000000}]})
    expect_status(resp, 400)
    expect_valid(w.c, resp, "errors")


@scenario("refunds", "Refund after changed source")
def _(w):
    # Given I have created a debit (debits.rb)
    w.created_customer()
    resp = w.c.request("POST", w.c.get_link("customers.debits"), {"amount": 1234})
    expect_status(resp, 201)
    expect_valid(w.c, resp, "debits")
    debit_url = first(resp, "debits", "href")
    # When I change the default funding source
    other = w.c.request("POST", "/cards", {"number": "4111 1111 1111 1111",
                                          "expiration_month": 12, "expiration_year": 2016})
    w.c.request("PATCH", w.customer_url, [{"op": "replace", "path": "/customers/0/links/source",
                                           "value": first(other, "cards", "id")}])
    # And I create a refund
    original_card_id = w.card_id
    w.created_refund()
    # Then the refund should go to the original card
    resp = w.c.request("GET", debit_url, None)
    expect_status(resp, 200)
    expect_valid(w.c, resp, "debits")
    fields_on_these(resp, "debits", {"links": {"source": original_card_id}})


# --------------------------------------------------------------------------
# Runner
# --------------------------------------------------------------------------

def setup(client):
    """features/support/initial_setup.rb: an API key, then a marketplace."""
    resp = client.request("POST", "/api_keys", auth=False)
    client.secret = first(resp, "api_keys", "secret")
    if not isinstance(client.secret, str):
        raise Failure(f"api_keys[0].secret is not a string [{resp.summary()}]")
    client.request("POST", "/marketplaces")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="API root, e.g. http://127.0.0.1:8080/payments")
    parser.add_argument("--spec", required=True, help="directory holding fixtures/")
    parser.add_argument("--verbose", action="store_true", help="print every request on stderr")
    parser.add_argument("--only", default="", help='run scenarios whose "feature: name" contains this')
    args = parser.parse_args(argv)

    schemas = Schemas(args.spec)
    client = Client(args.base, schemas, args.verbose)
    results = []

    def report(label, error):
        results.append(error is None)
        if error is None:
            print(f"PASS {label}", flush=True)
        else:
            print(f"FAIL {label} — {error}", flush=True)

    try:
        setup(client)
        report("setup: api_keys and marketplaces", None)
    except Exception as exc:  # noqa: BLE001 - every error is a failure to report
        report("setup: api_keys and marketplaces", describe(exc))

    for feature, name, run in SCENARIOS:
        label = f"{feature}: {name}"
        if args.only and args.only not in label:
            continue
        if args.verbose:
            print(f"--- {label}", file=sys.stderr)
        try:
            run(World(client))
            report(label, None)
        except Exception as exc:  # noqa: BLE001 - an exception is that scenario's failure
            report(label, describe(exc))

    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def describe(exc):
    if isinstance(exc, Failure):
        return str(exc)
    return f"{type(exc).__name__}: {excerpt(exc, 300)}"


if __name__ == "__main__":
    sys.exit(main())
