#!/usr/bin/env python3
"""Load for scripts/crash-check. Without --check: opens a merchant, then 4 threads send inline-card
debits with fresh Idempotency-Keys until the server goes away, appending each 201 (key, debit id) to
WORK/answered. With --check: every answered debit must be readable and its key must replay it."""
import base64, json, sys, threading, urllib.error, urllib.request, uuid

base, work = sys.argv[1], sys.argv[2]
CARD = {"number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"}


def call(method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method,
                                     headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), dict(error.headers)


def load():
    status, body, _ = call("POST", "/payments/api_keys", {})
    secret = body["api_keys"][0]["secret"]
    auth = {"authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}
    call("POST", "/payments/marketplaces", {}, auth)
    with open(f"{work}/auth", "w") as f:
        json.dump(auth, f)
    lock, answered = threading.Lock(), open(f"{work}/answered", "a")

    def client():
        while True:
            key = str(uuid.uuid4())
            try:
                status, body, _ = call("POST", "/payments/debits", {"amount": 1000, "source": CARD}, {**auth, "idempotency-key": key})
            except Exception:
                return  # the server is gone
            if status == 201:
                with lock:
                    answered.write(f"{key} {body['debits'][0]['id']}\n")
                    answered.flush()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{sum(1 for _ in open(f'{work}/answered'))} debits answered 201 before the kill")


def check():
    auth = json.load(open(f"{work}/auth"))
    lines = [line.split() for line in open(f"{work}/answered") if line.strip()]
    if not lines:
        sys.exit("no debit was answered before the kill: nothing was checked")
    missing = [debit for _, debit in lines if call("GET", f"/payments/debits/{debit}", headers=auth)[0] != 200]
    if missing:
        sys.exit(f"{len(missing)} of {len(lines)} debits answered 201 before the kill are gone: {missing[:5]}")
    key, debit = lines[-1]
    status, body, headers = call("POST", "/payments/debits", {"amount": 1000, "source": CARD}, {**auth, "idempotency-key": key})
    if status != 201 or body["debits"][0]["id"] != debit or headers.get("Idempotent-Replayed") != "true":
        sys.exit(f"the last answered key did not replay its debit after the restart: {status} {body}")
    print(f"all {len(lines)} debits answered before the kill are there after the restart; the last key replays its debit")


check() if "--check" in sys.argv else load()
