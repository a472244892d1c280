"""A fake DingTalk / WeCom / SMS endpoint on the loopback address (a thread with http.server on a random
port): it checks DingTalk's signature and WeCom's key, and can answer 500 or time out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SECRET = "SEC0123456789abcdef"
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
SMS_TOKEN = "sms-token"


class FakeRobot:
    def __init__(self):
        self.received: list[dict] = []  # what it accepted: {"path", "query", "json", "headers"}
        self.refused: list[str] = []  # why it refused a request
        self.mode = "ok"  # "ok", "500", "slow"
        self.delay = 2.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if fake.mode == "500":
                    return self._answer(500, {"errmsg": "internal error"})
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                reason = fake.check(parts.path, query, self.headers)
                if reason:
                    fake.refused.append(reason)
                    return self._answer(200, {"errcode": 310000, "errmsg": reason})
                fake.received.append(
                    {
                        "path": parts.path,
                        "query": query,
                        "json": json.loads(body.decode("utf-8")),
                        "headers": dict(self.headers),
                    }
                )
                return self._answer(200, {"errcode": 0, "errmsg": "ok"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @staticmethod
    def check(path: str, query: dict, headers) -> str:
        if path == "/robot/send":
            timestamp, sign = query.get("timestamp"), query.get("sign")
            if not (timestamp and sign):
                return "sign missing"
            if abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
                return "timestamp too old"
            expected = base64.b64encode(
                hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
            ).decode()
            # parse_qs has URL-decoded the sign once, as DingTalk's server does.
            if not hmac.compare_digest(sign, expected):
                return "sign not match"
        elif path == "/cgi-bin/webhook/send":
            if query.get("key") != WECOM_KEY:
                return "invalid webhook url"
        elif path == "/sms":
            if headers.get("Authorization") != f"Bearer {SMS_TOKEN}":
                return "bad token"
        else:
            return "unknown path"
        return ""

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
