#!/usr/bin/env python3
"""Runs schemathesis against every service of a served stack, each from the OpenAPI document it serves
at /<service>/openapi.json: it generates requests from the documents, and requires no server error and
every answer to conform to its document (status declared, content type, body schema). Prints how many
cases each service got; exits 1 on any failure.

Payments and the dashboard are called as a merchant (a fresh API key and marketplace); fraud and vault
through a local proxy that signs each request as the service allowed to call the route."""
import argparse
import base64
import json
import pathlib
import re
import subprocess
import sys
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from signing import signing_proxy  # noqa: E402

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def post(url: str, headers: dict) -> dict:
    request = urllib.request.Request(url, data=b"{}", headers={"Content-Type": "application/json", **headers}, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the served stack, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key", type=pathlib.Path, required=True, help="the served data directory's service-identity.key")
    parser.add_argument("--st", default="st", help="the schemathesis command")
    parser.add_argument("--max-examples", default="25")
    arguments = parser.parse_args()
    base = arguments.base.rstrip("/")
    key = base64.b64decode(arguments.key.read_text().strip())

    secret = post(f"{base}/payments/api_keys", {})["api_keys"][0]["secret"]
    basic = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    marketplace = post(f"{base}/payments/marketplaces", {"Authorization": basic})["marketplaces"][0]["id"]

    proxies = {(caller, callee): signing_proxy(f"{base}/{callee}", key, caller, callee)
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
    for service, origin, headers, only in runs:
        command = [arguments.st, "run", f"{base}/{service}/openapi.json", "--url", origin, "--checks", CHECKS,
                   "--max-examples", arguments.max_examples, "--workers", "2", "--no-color", *headers, *only]
        result = subprocess.run(command, capture_output=True, text=True)
        output = result.stdout + result.stderr
        total += sum(int(n) for n in re.findall(r"(\d+) generated", output))
        summary = [line for line in output.splitlines() if re.search(r"generated|passed|failed|errors?\b", line)]
        print(f"{service} ({' '.join(only) or 'every route'}): exit {result.returncode}; " + "; ".join(s.strip() for s in summary[-3:]))
        if result.returncode != 0:
            failed = True
            print(output[-6000:])
    print(f"schemathesis: {total} cases over {len(runs)} runs, {'with failures' if failed else 'no server error, every answer conforming'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
