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
import json
import pathlib
import sys
import urllib.parse

from pact import Verifier

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from signing import signing_proxy  # noqa: E402


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
