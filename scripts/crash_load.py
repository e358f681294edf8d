#!/usr/bin/env python3
"""For scripts/crash-check. `load BASE WORK`: 4 threads send inline-card debits with fresh Idempotency-Keys
until the server goes away, noting each key before it is sent and each answer. `window BASE WORK` (the
server down): counts charges the processor captured that payments has no debit for, a kill between the
two. `retry BASE WORK`: sends every unanswered key again until it is answered. `check BASE WORK`: one
debit per key, replayed for it; one capture per debit; the ledger balanced."""
import base64, json, os, sqlite3, sys, threading, time, urllib.error, urllib.request, uuid

command, base, work = sys.argv[1], sys.argv[2], sys.argv[3]
data = f"{work}/data"
CARD = {"number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"}
DEBIT = {"amount": 1000, "source": CARD}


def call(method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method,
                                     headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), dict(error.headers)


def auth():
    if not os.path.exists(f"{work}/auth"):
        status, body, _ = call("POST", "/payments/api_keys", {})
        secret = body["api_keys"][0]["secret"]
        headers = {"authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}
        call("POST", "/payments/marketplaces", {}, headers)
        with open(f"{work}/auth", "w") as f:
            json.dump(headers, f)
    return json.load(open(f"{work}/auth"))


def lines(name):
    return [line.split() for line in open(f"{work}/{name}")] if os.path.exists(f"{work}/{name}") else []


def answered():
    return {key: debit for key, debit in lines("answered")}


def load():
    headers, lock = auth(), threading.Lock()
    sent, answers = open(f"{work}/sent", "a"), open(f"{work}/answered", "a")

    def client():
        while True:
            key = str(uuid.uuid4())
            with lock:
                sent.write(key + "\n"); sent.flush()
            try:
                status, body, _ = call("POST", "/payments/debits", DEBIT, {**headers, "idempotency-key": key})
            except Exception:
                return  # the server is gone
            if status != 201:
                sys.exit(f"a debit answered {status}: {body}")
            with lock:
                answers.write(f"{key} {body['debits'][0]['id']}\n"); answers.flush()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def window():
    captured = {row[0] for row in sqlite3.connect(f"{work}/partner/processor.sqlite").execute(
        "SELECT order_id FROM txn WHERE message_type = 'AC'")}
    debited = {row[0] for row in sqlite3.connect(f"{data}/payments.sqlite").execute("SELECT transaction_number FROM debit")}
    orphans = len(captured - debited)
    with open(f"{work}/windows", "a") as f:
        f.write(f"{orphans}\n")
    unanswered = len({key for (key,) in lines("sent")} - answered().keys())
    print(f"kill: {unanswered} keys unanswered; the processor had captured {orphans} charges payments had not committed")


def retry():
    headers, done = auth(), answered()
    with open(f"{work}/answered", "a") as answers:
        for (key,) in lines("sent"):
            if key in done:
                continue
            deadline = time.monotonic() + 30
            while True:
                status, body, _ = call("POST", "/payments/debits", DEBIT, {**headers, "idempotency-key": key})
                if status == 201:
                    answers.write(f"{key} {body['debits'][0]['id']}\n")
                    done[key] = body["debits"][0]["id"]
                    break
                # A key whose first request was killed mid-way stays claimed until its lease runs out.
                if status != 409 or time.monotonic() > deadline:
                    sys.exit(f"retrying {key} after the restart answered {status}: {body}")
                time.sleep(0.25)


def check():
    headers, keys, done = auth(), [key for (key,) in lines("sent")], answered()
    missing = [key for key in keys if key not in done]
    if missing:
        sys.exit(f"{len(missing)} keys were never answered: {missing[:3]}")
    if len(set(done.values())) != len(keys):
        sys.exit(f"{len(keys)} keys answered with {len(set(done.values()))} distinct debits")
    for key in keys[:: max(1, len(keys) // 50)]:
        status, body, answer_headers = call("POST", "/payments/debits", DEBIT, {**headers, "idempotency-key": key})
        if status != 201 or body["debits"][0]["id"] != done[key] or answer_headers.get("Idempotent-Replayed") != "true":
            sys.exit(f"key {key} did not replay its debit: {status} {body}")
    payments = sqlite3.connect(f"{data}/payments.sqlite")
    debits = payments.execute("SELECT transaction_number, processor_reference IS NOT NULL FROM debit").fetchall()
    if len(debits) != len(keys):
        sys.exit(f"{len(keys)} keys sent, {len(debits)} debits stored")
    processor = sqlite3.connect(f"{work}/partner/processor.sqlite")
    captures = dict(processor.execute("SELECT order_id, COUNT(*) FROM txn WHERE message_type = 'AC' GROUP BY order_id").fetchall())
    # A debit fraud failed never reached the processor; every other one was captured there once.
    wrong = [number for number, charged in debits if captures.get(number, 0) != (1 if charged else 0)]
    stray = set(captures) - {number for number, _ in debits}
    if wrong or stray:
        detail = [(number, payments.execute("SELECT status, failure_reason_code, processor_reference FROM debit WHERE transaction_number = ?",
                                            (number,)).fetchone(), captures.get(number, 0)) for number in wrong[:3]]
        sys.exit(f"the processor's captures do not match the debits: {len(wrong)} debits without exactly one "
                 f"(order, debit, captures: {detail}), {len(stray)} captures without a debit")
    imbalance = payments.execute("SELECT COALESCE(SUM(amount), 0) FROM ledger_entry").fetchone()[0]
    if imbalance:
        sys.exit(f"the ledger is off by {imbalance}")
    windows = [int(n) for (n,) in lines("windows")]
    landed = sum(1 for n in windows if n > 0)
    print(f"crash-check: {len(windows)} kills; {len(keys)} keys, each with one debit and one capture at the processor, "
          f"replayed for its key; the ledger balances")
    print(f"crash-check: {landed} of {len(windows)} kills landed after the processor captured a charge and before payments "
          f"committed its debit and answer ({sum(windows)} charges in all); the retries completed each exactly once")
    if landed == 0:
        sys.exit("no kill landed between a capture at the processor and payments' commit: the dangerous window went untested")


{"load": load, "window": window, "retry": retry, "check": check}[command]()
