#!/usr/bin/env python3
"""Runs schemathesis against every service of a served stack, each from the OpenAPI document it serves
at /<service>/openapi.json: it generates requests from the documents, and requires no server error, every
answer to conform to its document (status declared, content type, body schema), every request the
document calls valid to be accepted and every one it calls invalid to be refused with a 4xx. Prints how
many cases each check judged, per run and per service; a check that judged none fails the gate, as does
any failure.

Payments and the dashboard are called as a merchant (a fresh API key and marketplace); fraud and vault
through a local proxy that signs each request presenting a credential as the service allowed to call the
route, and passes on unsigned one that leaves it out."""
import argparse
import base64
import collections
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from signing import signing_proxy  # noqa: E402

RESPONSE_CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance"]
# Each judges the requests of one generation mode only, and passes the others without looking.
REQUEST_CHECKS = {"positive_data_acceptance": "positive", "negative_data_rejection": "negative"}
CHECKS = RESPONSE_CHECKS + list(REQUEST_CHECKS)
CONFIG = pathlib.Path(__file__).with_name("schemathesis.toml")
# schemathesis' command line, run with a deeper recursion limit: its strategies for nested schemas recurse
# deeply, and Python 3.11's ast.parse (which Hypothesis calls to describe a lambda) fails with a
# SystemError, "AST constructor recursion depth mismatch", when it runs near the limit.
RUN_SCHEMATHESIS = "import sys; sys.setrecursionlimit(10_000); from schemathesis.cli import schemathesis; sys.argv[0] = 'st'; schemathesis()"


def judged(events: pathlib.Path) -> collections.Counter:
    """How many cases each check judged, from schemathesis' NDJSON events: a case counts for a check
    that ran on it, and for a request check only when the case is of the mode the check judges."""
    counts = collections.Counter()
    for line in events.read_text().splitlines():
        recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder", {})
        for case_id, checks in recorder.get("checks", {}).items():
            case = recorder.get("cases", {}).get(case_id, {}).get("value", {})
            mode = case.get("meta", {}).get("generation", {}).get("mode")
            for name in {check["name"] for check in checks if check.get("status") != "skip"}:
                if REQUEST_CHECKS.get(name, mode) == mode:
                    counts[name] += 1
    return counts


def post(url: str, headers: dict) -> dict:
    request = urllib.request.Request(url, data=b"{}", headers={"Content-Type": "application/json", **headers}, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the served stack, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key", type=pathlib.Path, required=True, help="the served data directory's service-identity.key")
    parser.add_argument("--python", default=sys.executable, help="the Python schemathesis is installed in (this one unless given)")
    parser.add_argument("--max-examples", default="25")
    arguments = parser.parse_args()
    base = arguments.base.rstrip("/")
    key = base64.b64decode(arguments.key.read_text().strip())

    secret = post(f"{base}/payments/api_keys", {})["api_keys"][0]["secret"]
    basic = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    marketplace = post(f"{base}/payments/marketplaces", {"Authorization": basic})["marketplaces"][0]["id"]

    proxies = {(caller, callee): signing_proxy(f"{base}/{callee}", key, caller, callee, presented_only=True)
               for caller, callee in [("payments", "fraud"), ("payments", "vault"), ("dashboard", "fraud")]}

    def through(caller: str, callee: str) -> str:
        return f"http://127.0.0.1:{proxies[caller, callee].server_address[1]}"

    # service, the URL its routes are under, headers, which routes
    runs = [
        ("payments", f"{base}/payments", ["-H", f"Authorization: {basic}"], []),
        ("dashboard", f"{base}/dashboard", ["-H", f"Authorization: {basic}"], []),
        ("fraud", through("payments", "fraud"), ["-H", f"X-Tenant: {marketplace}"], ["--exclude-path", "/checks/stats"]),
        ("fraud", through("dashboard", "fraud"), ["-H", f"X-Tenant: {marketplace}"], ["--include-path", "/checks/stats"]),
        ("vault", through("payments", "vault"), ["-H", f"X-Tenant: {marketplace}"], []),
    ]
    failed = False
    total = 0
    per_service: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    reports = tempfile.TemporaryDirectory(prefix="fuzz-")
    for index, (service, origin, headers, only) in enumerate(runs):
        events = pathlib.Path(reports.name) / f"{index}-{service}.ndjson"
        command = [arguments.python, "-c", RUN_SCHEMATHESIS, "--config-file", str(CONFIG), "run", f"{base}/{service}/openapi.json", "--url", origin,
                   "--checks", ",".join(CHECKS), "--max-examples", arguments.max_examples, "--workers", "2", "--no-color",
                   "--report", "ndjson", "--report-ndjson-path", str(events), *headers, *only]
        result = subprocess.run(command, capture_output=True, text=True)
        output = result.stdout + result.stderr
        total += sum(int(n) for n in re.findall(r"(\d+) generated", output))
        counts = judged(events) if events.exists() else collections.Counter()
        per_service[service].update(counts)
        summary = [line for line in output.splitlines() if re.search(r"generated|passed|failed|errors?\b", line)]
        print(f"{service} ({' '.join(only) or 'every route'}): exit {result.returncode}; " + "; ".join(s.strip() for s in summary[-3:]))
        print("  cases judged: " + ", ".join(f"{check} {counts[check]}" for check in CHECKS))
        idle = [check for check in CHECKS if counts[check] == 0]
        if idle:
            failed = True
            print(f"  no case judged by {', '.join(idle)}: the document gives schemathesis nothing to try them on")
        if result.returncode != 0:
            failed = True
            print(output[-12000:])
    reports.cleanup()
    print("cases judged per check and service:")
    width = max(len(check) for check in CHECKS)
    print(" " * (width + 2) + "".join(f"{service:>11}" for service in per_service))
    for check in CHECKS:
        print(f"  {check:<{width}}" + "".join(f"{per_service[service][check]:>11}" for service in per_service))
    verdict = "with failures" if failed else "no server error, every answer conforming, every valid request accepted, every invalid one refused"
    print(f"schemathesis: {total} cases over {len(runs)} runs, {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
