"""Service credentials for calls from outside a served stack: the `X-Service-Credential` a service would
send (HMAC-SHA256 over caller, callee, tenant, expiry, method and path, with the deployment's
service-identity.key), and a local proxy that adds it to every request it forwards."""
import base64
import hashlib
import hmac
import http.server
import threading
import time
import urllib.error
import urllib.request


def credential(key: bytes, caller: str, callee: str, tenant: str, method: str, path: str) -> str:
    expires = str(int(time.time()) + 60)
    text = "\n".join(["v1", caller, callee, tenant, expires, method, path])
    signature = base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode().rstrip("=")
    return f"v1;caller={caller};callee={callee};tenant={tenant};expires={expires};signature={signature}"


def signing_proxy(upstream: str, key: bytes, caller: str, callee: str, presented_only: bool = False) -> http.server.ThreadingHTTPServer:
    """A proxy on a free local port that forwards to `upstream`, signing each request as `caller`. With
    `presented_only`, it signs only a request that presents an `X-Service-Credential` of its own (any
    value, replaced by the real one) and forwards the others without one, for the service to refuse:
    a fuzzer that leaves the credential out must see what the service does then."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "content-length", "connection", "x-service-credential")}
            if not presented_only or "X-Service-Credential" in self.headers:
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

        def __getattr__(self, name):
            # Every method (TRACE, QUERY, …) is forwarded: the service, not the proxy, answers it.
            if name.startswith("do_"):
                return self.forward
            raise AttributeError(name)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
