#!/usr/bin/env python3
"""Verifies the Pact files in a directory with Pact's own verifier (pact-python), provider by
provider, against a stack served with `harness serve --provider-states`: every provider's, or only
those named. Exits 1 if any fails."""
import json
import pathlib
import sys
import urllib.parse

from pact import Verifier


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: pact-verify.py PACT_DIR BASE_URL [PROVIDER ...]", file=sys.stderr)
        return 2
    directory, base, only = pathlib.Path(sys.argv[1]), sys.argv[2].rstrip("/"), set(sys.argv[3:])
    by_provider: dict[str, list[pathlib.Path]] = {}
    for path in sorted(directory.glob("*.json")):
        provider = json.loads(path.read_text())["provider"]["name"]
        if not only or provider in only:
            by_provider.setdefault(provider, []).append(path)
    if not by_provider:
        print(f"no Pact files in {directory}" + (f" for {', '.join(sorted(only))}" if only else ""), file=sys.stderr)
        return 2
    failed = []
    for provider, paths in sorted(by_provider.items()):
        host = urllib.parse.urlsplit(base).hostname
        verifier = Verifier(provider, host=host).add_transport(url=f"{base}/{provider}")
        verifier.state_handler(f"{base}/_harness/provider-states", body=True)
        for path in paths:
            verifier.add_source(path)
        try:
            verifier.verify()
            print(f"{provider}: verified {', '.join(p.name for p in paths)}")
        except RuntimeError:  # the verifier has printed what failed
            failed.append(provider)
    if failed:
        print(f"Pact verification failed for: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
