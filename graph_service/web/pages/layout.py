"""The page shell every page shares, the stylesheet, and the escaping helpers.

Every value that reaches HTML goes through `e` (or `link`, which escapes both the URL and
the text); nothing is marked safe except markup built here from escaped parts.
"""
from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

STYLESHEET_PATH = "/pages.css"
SITE_NAME = "Dacorum policies and partners"

# Same-origin stylesheet, no scripts: the Content-Security-Policy of every page allows nothing else.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

STYLESHEET = """
:root { --ink: #0b0c0c; --muted: #505a5f; --link: #1d4f91; --visited: #4c2c92; --focus: #ffdd00;
        --line: #b1b4b6; --panel: #f3f2f1; --bad: #b10e1e; --warn: #7a4d00; --good: #00703c; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.1875rem/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: var(--ink); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; padding: .5rem; background: var(--focus); color: var(--ink); z-index: 1; }
header { background: var(--ink); color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap;
         justify-content: space-between; align-items: center; gap: .5rem; }
header a { color: #fff; font-weight: 700; text-decoration: none; }
header nav { display: flex; gap: 1rem; align-items: center; }
header form { margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
footer { border-top: 1px solid var(--line); padding: 1rem; color: var(--muted); font-size: 1rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 1rem 0; }
h2 { font-size: 1.5rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.25rem; margin: 1.25rem 0 .5rem; }
a { color: var(--link); text-underline-offset: .15em; }
a:visited { color: var(--visited); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible, main:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 6px var(--ink); }
label { display: block; font-weight: 700; margin-bottom: .25rem; }
.hint { color: var(--muted); margin: 0 0 .5rem; }
input[type=search], input[type=password] { font: inherit; width: 100%; max-width: 36rem; padding: .4rem;
  border: 2px solid var(--ink); }
button { font: inherit; padding: .45rem 1rem; background: var(--good); color: #fff; border: 0;
         box-shadow: 0 2px 0 #002d18; cursor: pointer; }
header button { background: transparent; border: 2px solid #fff; box-shadow: none; padding: .2rem .6rem; }
.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
.search div { flex: 0 1 36rem; }
.error { border-left: 5px solid var(--bad); padding: .5rem 1rem; color: var(--bad); font-weight: 700; }
.result { border-top: 1px solid var(--line); padding: .5rem 0; }
dl.facts { display: grid; grid-template-columns: minmax(10rem, 14rem) 1fr; gap: .5rem 1rem; margin: 0; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
.source { display: block; color: var(--muted); font-size: 1rem; }
.status { font-weight: 700; padding: 0 .3rem; }
.status-overdue, .status-vacant { color: var(--bad); }
.status-due, .status-unrecorded { color: var(--warn); }
.status-current, .status-held { color: var(--good); }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
caption { text-align: left; font-weight: 700; padding: .5rem 0; }
td.dates { white-space: nowrap; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .4rem .5rem .4rem 0; }
.example { background: var(--panel); padding: 0 .3rem; font-size: 1rem; }
details { margin: 1rem 0; }
summary { cursor: pointer; color: var(--link); }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .5rem; } }
"""


def e(value: Any) -> str:
    """Escaped text; None shows as an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


def path_to(prefix: str, key: str) -> str:
    """A page URL for a key (keys may hold ':' and '/'; both stay readable, the rest is quoted)."""
    return f"{prefix}/{quote(key, safe=':/')}"


def link(href: str, text: Any) -> str:
    return f'<a href="{e(href)}">{e(text)}</a>'


def source(provenance: dict[str, Any] | None) -> str:
    """Where a fact comes from, shown beside it."""
    if not provenance:
        return ""
    example = ' <span class="example">illustrative example</span>' if provenance.get("illustrative") else ""
    where = f", {e(provenance['locator'])}" if provenance.get("locator") else ""
    return f'<span class="source">Source: {e(provenance["source"])}{where}{example}</span>'


def page(title: str, body: str, *, signed_in: str | None = None, csrf_token: str = "") -> str:
    """The page shell: skip link, banner, main landmark with the body, footer. `csrf_token`
    (web/security.csrf_token) goes into every form that posts."""
    account = ""
    if signed_in:
        account = (f'<nav aria-label="Account"><span>Signed in ({e(signed_in)})</span>'
                   '<form method="post" action="/sign-out">'
                   f'<input type="hidden" name="csrf_token" value="{e(csrf_token)}">'
                   '<button type="submit">Sign out</button></form></nav>')
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{e(title)} – {e(SITE_NAME)}</title>\n'
        f'<link rel="stylesheet" href="{STYLESHEET_PATH}">\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to main content</a>\n'
        f'<header><a href="/">{e(SITE_NAME)}</a>{account}</header>\n'
        f'<main id="main" tabindex="-1">\n{body}\n</main>\n'
        '<footer>Dacorum Borough Council. Each fact names the document or register it comes from; '
        'facts marked “illustrative example” are generated sample data, not council records.</footer>\n'
        '</body>\n</html>\n'
    )
