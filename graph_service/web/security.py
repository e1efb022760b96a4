"""Browser-facing protections: CSRF checks on cookie-authenticated writes, and security headers on every
HTML response.

A request with `Authorization: Bearer KEY` is not cookie-authenticated (no browser sends that header to
another site by itself), so it needs neither check. Any other state-changing request that carries the
session cookie, and every POST to /sign-in (login CSRF), must come from this origin (`Origin`, or
`Referer` when a browser sends no Origin) and carry the form token of its cookie, as the `csrf_token`
form field or the `X-CSRF-Token` header. The token is an HMAC of the cookie's secret, so only pages this
service served to that browser can know it; each page carries it under a fresh mask. SameSite=Strict alone is not enough: another port on the same
host is the same site.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs, urlsplit

from fastapi import Request, Response
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.access.sessions import form_token
from graph_service.web.deps import SESSION_COOKIE, bearer_key
from graph_service.web.errors import answer

PRESESSION_COOKIE = "graph_service_presession"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
SIGN_IN = "/sign-in"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
MAX_FORM_HEAD = 64 * 1024  # bytes of a form read to find its token: it comes before any file
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
HTML_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY"}


def csrf_token(request: Request) -> str:
    """The token every form on a page must carry as the hidden field `csrf_token` ("" when the browser
    holds no cookie yet: the sign-in page sets one with `presession_cookie`)."""
    secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)
    if not secret and hasattr(request.state, "presession"):
        secret = request.state.presession
    return _masked(form_token(secret)) if secret else ""


def _masked(token: str) -> str:
    """The token under a fresh random mask on every page (mask, then mask XOR token), so that a compressed
    page that also echoes what a visitor typed never repeats the token's bytes for its size to give away
    (the BREACH attack on gzip)."""
    raw = bytes.fromhex(token)
    mask = secrets.token_bytes(len(raw))
    return (mask + bytes(m ^ t for m, t in zip(mask, raw))).hex()


def _unmasked(sent: str) -> str:
    try:
        data = bytes.fromhex(sent)
    except ValueError:
        return ""
    half = len(data) // 2
    return bytes(m ^ t for m, t in zip(data[:half], data[half:])).hex() if len(data) == 2 * half else ""


def presession_cookie(request: Request, response: Response) -> None:
    """Before sign-in the browser gets a random pre-session cookie, so the sign-in form has a token too."""
    if not request.cookies.get(PRESESSION_COOKIE):
        response.set_cookie(PRESESSION_COOKIE, request.state.presession, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path=SIGN_IN)


def new_presession(request: Request) -> None:
    """Choose the pre-session secret for this response (before the page is rendered with its token)."""
    if not request.cookies.get(PRESESSION_COOKIE):
        request.state.presession = secrets.token_urlsafe(32)


def _origin_problem(request: Request) -> str | None:
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent:
        return "a form or script must say where it comes from (no Origin or Referer header)"
    parts = urlsplit(sent)
    if f"{parts.scheme}://{parts.netloc}" != own:
        return f"a request from {parts.scheme}://{parts.netloc} may not change anything here"
    return None


class _Replay:
    """The body messages read so far, handed to the app again before the rest of the stream."""

    def __init__(self, receive: Receive):
        self.receive = receive
        self.read: list[Message] = []

    async def next(self) -> Message:
        message = await self.receive()
        self.read.append(message)
        return message

    async def __call__(self) -> Message:
        return self.read.pop(0) if self.read else await self.receive()


async def _form_field(request: Request, replay: _Replay) -> str | None:
    """The `csrf_token` field of a urlencoded or multipart form, reading no more than MAX_FORM_HEAD bytes
    and stopping at the first file; what was read is replayed to the route."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    body, more = b"", True
    if kind == b"application/x-www-form-urlencoded":
        while more and len(body) <= MAX_FORM_HEAD:
            message = await replay.next()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if more:
            return None
        return (parse_qs(body.decode("latin-1")).get(FORM_FIELD) or [None])[0]
    if kind != b"multipart/form-data" or b"boundary" not in options:
        return None
    found: dict[str, object] = {"name": None, "file": False, "value": b"", "token": None, "done": False}
    header: list[bytes] = [b"", b""]

    def header_field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def header_end() -> None:
        if header[0].lower() == b"content-disposition":
            _, params = parse_options_header(header[1])
            found["name"], found["file"] = params.get(b"name"), b"filename" in params
        header[0] = header[1] = b""

    def part_data(data: bytes, start: int, end: int) -> None:
        if found["name"] == FORM_FIELD.encode():
            found["value"] += data[start:end]

    def part_end() -> None:
        if found["name"] == FORM_FIELD.encode():
            found["token"] = found["value"].decode("latin-1")
        found["name"], found["value"] = None, b""

    def headers_finished() -> None:
        if found["file"]:
            found["done"] = True  # the token comes before any file, as the page's form puts it

    parser = MultipartParser(options[b"boundary"], {
        "on_header_field": header_field, "on_header_value": header_value, "on_header_end": header_end,
        "on_headers_finished": headers_finished, "on_part_data": part_data, "on_part_end": part_end})
    size = 0
    while more and size <= MAX_FORM_HEAD and found["token"] is None and not found["done"]:
        message = await replay.next()
        chunk = message.get("body", b"")
        size += len(chunk)
        more = message.get("more_body", False)
        try:
            parser.write(chunk)
        except Exception:  # a broken form: the route's own parser says what is wrong
            return None
    return found["token"]  # type: ignore[return-value]


class SecurityMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if scope["method"] in UNSAFE and not bearer_key(request):
            replay = _Replay(receive)
            problem = await self._csrf_problem(request, replay)
            if problem:
                await answer(request, 403, "cross_site_request", problem)(scope, receive, self._headers(send))
                return
            receive = replay
        await self.app(scope, receive, self._headers(send))

    @staticmethod
    async def _csrf_problem(request: Request, replay: _Replay) -> str | None:
        secret = request.cookies.get(SESSION_COOKIE)
        if request.url.path == SIGN_IN:
            secret = request.cookies.get(PRESESSION_COOKIE)
            if not secret:
                return "open the sign-in page and sign in from its form"
        if not secret:
            return None  # not cookie-authenticated: the route answers 401 without a key
        problem = _origin_problem(request)
        if problem:
            return problem
        token = request.headers.get(HEADER) or await _form_field(request, replay)
        if not token or not hmac.compare_digest(_unmasked(token).encode(), form_token(secret).encode()):
            return "the form's security token is missing or out of date: reload the page and try again"
        return None

    @staticmethod
    def _headers(send: Send) -> Send:
        """Every HTML response gets a Content-Security-Policy forbidding framing (the page's own, or the
        pages' default) and the other browser headers."""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k.lower(), v) for k, v in message.get("headers", [])]
                names = {k for k, _ in headers}
                kind = dict(headers).get(b"content-type", b"")
                if kind.startswith(b"text/html"):
                    csp = dict(headers).get(b"content-security-policy")
                    if csp is None:
                        headers.append((b"content-security-policy", PAGE_CSP.encode()))
                    elif b"frame-ancestors" not in csp:
                        headers = [(k, v + b"; frame-ancestors 'none'" if k == b"content-security-policy" else v)
                                   for k, v in headers]
                    headers += [(k.encode(), v.encode()) for k, v in HTML_HEADERS.items() if k.encode() not in names]
                elif b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers
