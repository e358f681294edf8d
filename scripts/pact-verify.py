#!/usr/bin/env python3
"""Verifies the Pact files in a directory with Pact's own verifier (pact-python), pact by pact,
against a stack served with `harness serve --provider-states`: every provider's, or only those named.
Exits 1 if any fails.

Internal services (vault, fraud) let in only the services that may call them, with a credential signed
by the deployment's key: with --key (the served data directory's service-identity.key), each pact's
requests go through a local proxy that signs them as the pact's consumer would, as Pact's docs advise
for time-bound credentials (a request filter)."""
import argparse
import base64
import hashlib
import hmac
import http.server
import json
import pathlib
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from pact import Verifier


def credential(key: bytes, caller: str, callee: str, tenant: str, method: str, path: str) -> str:
    expires = str(int(time.time()) + 60)
    text = "\n".join(["v1", caller, callee, tenant, expires, method, path])
    signature = base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode().rstrip("=")
    return f"v1;caller={caller};callee={callee};tenant={tenant};expires={expires};signature={signature}"


def signing_proxy(upstream: str, key: bytes, caller: str, callee: str) -> http.server.ThreadingHTTPServer:
    """A proxy on a free local port that forwards to `upstream`, signing each request as `caller`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
            headers["X-Service-Credential"] = credential(key, caller, callee, self.headers.get("X-Tenant", ""), self.command, self.path)
            request = urllib.request.Request(upstream + self.path, data=body if body or self.command in ("POST", "PUT", "PATCH") else None,
                                             headers=headers, method=self.command)
            try:
                with urllib.request.urlopen(request) as response:
                    status, reply_headers, reply = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, reply_headers, reply = error.code, error.headers, error.read()
            self.send_response(status)
            for name, value in reply_headers.items():
                if name.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pacts", type=pathlib.Path)
    parser.add_argument("base")
    parser.add_argument("providers", nargs="*")
    parser.add_argument("--key", type=pathlib.Path, help="the served stack's service-identity.key, to sign calls to internal services")
    arguments = parser.parse_args()
    base, only = arguments.base.rstrip("/"), set(arguments.providers)
    key = base64.b64decode(arguments.key.read_text().strip()) if arguments.key else None
    pacts = []
    for path in sorted(arguments.pacts.glob("*.json")):
        pact = json.loads(path.read_text())
        if not only or pact["provider"]["name"] in only:
            pacts.append((pact["provider"]["name"], pact["consumer"]["name"], path))
    if not pacts:
        print(f"no Pact files in {arguments.pacts}" + (f" for {', '.join(sorted(only))}" if only else ""), file=sys.stderr)
        return 2
    host = urllib.parse.urlsplit(base).hostname
    failed = []
    for provider, consumer, path in pacts:
        url, proxy = f"{base}/{provider}", None
        if key is not None:
            proxy = signing_proxy(url, key, consumer, provider)
            url = f"http://127.0.0.1:{proxy.server_address[1]}"
        verifier = Verifier(provider, host=host).add_transport(url=url)
        verifier.state_handler(f"{base}/_harness/provider-states", body=True)
        verifier.add_source(path)
        try:
            verifier.verify()
            print(f"{provider}: verified {path.name}")
        except RuntimeError:  # the verifier has printed what failed
            failed.append(f"{provider} ({path.name})")
        finally:
            if proxy:
                proxy.shutdown()
    if failed:
        print(f"Pact verification failed for: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
