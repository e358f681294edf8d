#!/usr/bin/env python3
"""For scripts/card-data-check. With a base URL: runs every flow that carries card data through a served
stack and checks each answer. With --scan DATA_DIR LOG: scans the raw bytes the stack left behind."""
import base64, json, pathlib, re, sys, urllib.error, urllib.request

# American Express test numbers, so the security code has four digits: a run of four that appears by
# chance in a few megabytes of SQLite pages is far less likely than one of three.
NUMBERS = ["378282246310005", "371449635398431", "378734493671000"]
FORMS = ["378282246310005", 371449635398431, "3787 344936 71000"]  # string, integer, spaced
CVV = "8264"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def leaks(data: bytes, numbers=NUMBERS, cvv=CVV):
    """What of the card data is in `data`, read as runs of digits (spaces and dashes between digits
    dropped, so a number stored as it was sent, grouped, is found too)."""
    runs = re.findall(rb"[0-9]+", re.sub(rb"(?<=[0-9])[ -](?=[0-9])", b"", data))
    found = [n for n in numbers if any(n.encode() in run for run in runs)]
    if cvv and any(run == cvv.encode() for run in runs):
        found.append(f"security code {cvv}")
    return found


class Client:
    def __init__(self, base):
        self.base, self.headers = base, {}

    def call(self, method, path, body=None, key=None, form=None, raw=None):
        headers = {"content-type": "application/json", **self.headers}
        data = None if body is None else json.dumps(body).encode()
        if form is not None:
            headers["content-type"] = "application/x-www-form-urlencoded"
            data = form.encode()
        if raw is not None:
            data = raw
        if key:
            headers["idempotency-key"] = key
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, text, answer_headers = error.code, error.read(), error.headers
        leaked = leaks(text + str(answer_headers).encode())
        check(not leaked, f"{method} {path} answered with {leaked}: {text[:300]!r}")
        return status, (json.loads(text) if text.strip() else None)


def card(number):
    return {"number": number, "expiration_month": 12, "expiration_year": 2030, "cvv": CVV,
            "address": {"line1": "965 Mission St", "postal_code": "94103"}}


def flows(base):
    client = Client(base + "/payments")
    status, body = client.call("POST", "/api_keys", {})
    secret = body["api_keys"][0]["secret"]
    client.headers["authorization"] = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    client.call("POST", "/marketplaces", {})

    # Tokenizations: JSON with a key, and a browser's form without one.
    cards = []
    for n, number in enumerate(FORMS):
        status, body = client.call("POST", "/cards", card(number))
        check(status == 201, f"tokenizing form {n} answered {status}: {body}")
        cards.append(body["cards"][0]["id"])
    browser = Client(base + "/payments")
    status, body = browser.call("POST", "/cards", form=f"number={NUMBERS[0]}&expiration_month=12&expiration_year=2030&cvv={CVV}")
    check(status == 201, f"a browser's tokenization answered {status}: {body}")

    # Keyed inline debits in every form: first, replay, reuse for another amount or another code.
    debits = []
    for n, number in enumerate(FORMS):
        key = f"inline-{n}"
        request = {"amount": 500, "source": card(number)}
        status, first = client.call("POST", "/debits", request, key=key)
        check(status == 201, f"inline debit {n} answered {status}: {first}")
        status, again = client.call("POST", "/debits", request, key=key)
        check(status == 201 and again["debits"][0]["id"] == first["debits"][0]["id"], f"the replay of {key} answered {status}: {again}")
        debits.append(first["debits"][0]["id"])
        status, reused = client.call("POST", "/debits", {**request, "amount": 600, "source": {**card(number), "cvv": "1234"}}, key=key)
        description = (reused or {}).get("errors", [{}])[0].get("description", "")
        check(status == 409 and "amount" in description and "source.cvv" in description and "600" not in description,
              f"reusing {key} for another request answered {status}: {description}")

    # Holds, a capture, a refund, each keyed.
    status, hold = client.call("POST", f"/cards/{cards[0]}/card_holds", {"amount": 300}, key="hold")
    check(status == 201, f"a hold answered {status}: {hold}")
    status, captured = client.call("POST", f"/card_holds/{hold['card_holds'][0]['id']}/debits", {}, key="capture")
    check(status == 201, f"a capture answered {status}: {captured}")
    status, refund = client.call("POST", f"/debits/{debits[0]}/refunds", {"amount": 100}, key="refund")
    check(status == 201, f"a refund answered {status}: {refund}")

    # Deleted means deleted: readable, unlisted, never charged or held again.
    status, _ = client.call("DELETE", f"/cards/{cards[1]}")
    check(status == 204, f"deleting a card answered {status}")
    status, shown = client.call("GET", f"/cards/{cards[1]}")
    check(status == 200, f"a deleted card is no longer readable: {status}")
    status, listed = client.call("GET", "/cards?limit=100")
    check(cards[1] not in [c["id"] for c in listed["cards"]], "a deleted card is still listed")
    for path, body in [(f"/cards/{cards[1]}/debits", {"amount": 100}), (f"/cards/{cards[1]}/card_holds", {"amount": 100}),
                       ("/debits", {"amount": 100, "source": f"/cards/{cards[1]}"})]:
        status, refused = client.call("POST", path, body)
        code = (refused or {}).get("errors", [{}])[0].get("category_code")
        check(status == 409 and code == "card-not-valid", f"charging a deleted card through {path} answered {status} {code}")

    # A body far over the limit is a 413 that names the limit.
    status, big = client.call("POST", "/debits", raw=b'{"amount":' + b" " * (3 * 1024 * 1024) + b"500}")
    description = (big or {}).get("errors", [{}])[0].get("description", "")
    check(status == 413 and re.search(r"\d+ bytes", description), f"a 3 MB body answered {status}: {description}")
    print(f"card data flows: {len(FORMS)} tokenizations, a browser's, {len(FORMS)} keyed inline debits replayed and reused, "
          "a hold, a capture, a refund, a deletion; no answer held a card number or the security code")


def scan(directory, log):
    files = [p for p in pathlib.Path(directory).rglob("*") if p.is_file()] + [pathlib.Path(log)]
    for path in files:
        in_vault = path.name.startswith("vault")
        leaked = leaks(path.read_bytes(), numbers=[] if in_vault else NUMBERS)
        check(not leaked, f"{path.name} holds {leaked}")
    print(f"card data at rest: {len(files)} files scanned byte by byte ({', '.join(sorted(p.name for p in files))}); "
          f"no card number outside vault, the security code nowhere")


if sys.argv[1] == "--scan":
    scan(sys.argv[2], sys.argv[3])
else:
    flows(sys.argv[1])
for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
