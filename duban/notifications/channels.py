"""The wire formats of the channels beyond the inbox, and one HTTP POST with a timeout. No database.

- DingTalk custom robot (钉钉自定义机器人): POST JSON `{"msgtype": "markdown", "markdown": {"title",
  "text"}}` to the webhook (`…/robot/send?access_token=…`); with 加签 (a secret "SEC…") the query also
  carries `timestamp` (milliseconds) and `sign`, the URL-encoded Base64 of HMAC-SHA256 over
  `timestamp + "\\n" + secret` keyed by the secret. It answers `{"errcode": 0, "errmsg": "ok"}`.
- WeCom group robot (企业微信群机器人): POST JSON `{"msgtype": "markdown", "markdown": {"content"}}` to
  `…/cgi-bin/webhook/send?key=…` (the key is the credential); the same `errcode` answer.
- SMS through the city's gateway (`DUBAN_SMS_URL`): POST JSON `{"phone", "text"}` with
  `Authorization: Bearer <DUBAN_SMS_TOKEN>` when a token is set; any 2xx answer is accepted.

`post_json` raises `SendFailed` with a short reason (the HTTP status, the service's errmsg, a timeout);
the caller records it on the delivery and retries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


class SendFailed(Exception):
    """The channel did not take the message; `str()` is the reason shown to the office."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str  # absolute where DUBAN_SITE_URL is set, else the path as stored
    kind_label: str


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: URL-encoded Base64 of HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), digestmod=hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(webhook: str, secret: str, *, now_ms: int | None = None) -> str:
    if not secret:
        return webhook
    timestamp = int(time.time() * 1000) if now_ms is None else now_ms
    joiner = "&" if urllib.parse.urlsplit(webhook).query else "?"
    # `sign` is already URL-encoded, as DingTalk's documentation builds the address.
    return f"{webhook}{joiner}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"


def _markdown_text(message: Message) -> str:
    lines = [f"#### {message.title}"]
    if message.body.strip():
        lines += ["", message.body.strip()]
    if message.link:
        lines += ["", f"[查看详情]({message.link})"]
    lines += ["", f"> {message.kind_label}"]
    return "\n".join(lines)


def dingtalk_payload(message: Message) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": _markdown_text(message)}}


def wecom_payload(message: Message) -> dict:
    return {"msgtype": "markdown", "markdown": {"content": _markdown_text(message)}}


def sms_text(message: Message, *, signature: str) -> str:
    text = f"【{signature}】{message.title}"
    return f"{text} {message.link}" if message.link else text


def post_json(url: str, payload: dict, *, timeout: float, headers: dict | None = None) -> bytes:
    """POST `payload` as JSON; the answer's body, or `SendFailed` (status, network error, timeout)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            return response.read(65536)
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}") from error
    except TimeoutError as error:
        raise SendFailed(f"timeout after {timeout:g}s") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SendFailed(f"timeout after {timeout:g}s") from error
        raise SendFailed(str(reason)[:200]) from error
    except OSError as error:
        raise SendFailed(str(error)[:200]) from error


def check_robot_answer(body: bytes) -> None:
    """DingTalk and WeCom answer 200 with `errcode` 0, or 200 with the reason in `errmsg`."""
    try:
        answer = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as error:
        raise SendFailed("unreadable answer") from error
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else "?"
        message = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise SendFailed(f"errcode {code}: {message}"[:200])


def require_http(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise SendFailed("not an http(s) address")
