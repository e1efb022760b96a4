"""The page shell every page shares, the stylesheet, and the escaping helpers.

Every value that reaches HTML goes through `e` (or `link`, which escapes both the URL and
the text); nothing is marked safe except markup built here from escaped parts.
"""
from __future__ import annotations

import html
from typing import Any
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from graph_service.records import FactSource

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

STATIC = Path(__file__).resolve().parents[1] / "static"
STYLESHEET = (STATIC / "pages.css").read_text(encoding="utf-8")


def e(value: Any) -> str:
    """Escaped text; None shows as an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


def path_to(prefix: str, key: str) -> str:
    """A page URL for a key (keys may hold ':' and '/'; both stay readable, the rest is quoted)."""
    return f"{prefix}/{quote(key, safe=':/')}"


def link(href: str, text: Any) -> str:
    return f'<a href="{e(href)}">{e(text)}</a>'


def source(provenance: FactSource | dict[str, Any] | None) -> str:
    """Where a fact comes from, shown beside it: an answer's FactSource or a query row's provenance."""
    if not provenance:
        return ""
    if isinstance(provenance, FactSource):
        provenance = provenance.model_dump()
    example = ' <span class="example">illustrative example</span>' if provenance.get("illustrative") else ""
    where = f", {e(provenance['locator'])}" if provenance.get("locator") else ""
    return f'<span class="source">Source: {e(provenance["source"])}{where}{example}</span>'


# The header's links to every page there is: (path, text, procurement only).
NAVIGATION = (("/", "Search", False), ("/partners", "Partners", False), ("/workstreams", "Work streams", False),
              ("/posts", "Posts", False), ("/maps/stakeholders", "Stakeholder map", False),
              ("/maps/grid", "Power-interest grid", False), ("/maps/policy-ownership", "Policy ownership", False),
              ("/health", "Relationship health", True))
PROCUREMENT_ROLES = ("procurement", "admin")

# Autoescape on for every template: partner data is untrusted.
TEMPLATES = Environment(loader=PackageLoader("graph_service.web", "templates"), autoescape=True,
                        trim_blocks=True, lstrip_blocks=True)
TEMPLATES.globals.update(site_name=SITE_NAME, stylesheet=STYLESHEET_PATH, navigation=NAVIGATION,
                         procurement_roles=PROCUREMENT_ROLES,
                         path_to=path_to, source=lambda provenance: Markup(source(provenance)))  # escaped parts


def render(template: str, title: str, *, signed_in: str | None = None, csrf_token: str = "",
           current: str | None = None, trail: tuple[tuple[str, str], ...] = (("/", "Home"),), **context: Any) -> str:
    """A page from a template extending base.html: the header's navigation (when signed in), a breadcrumb
    of `trail` then `title`, and the content."""
    return TEMPLATES.get_template(template).render(title=title, signed_in=signed_in, csrf_token=csrf_token,
                                                   current=current, trail=trail, **context)


def page(title: str, body: str, *, signed_in: str | None = None, csrf_token: str = "", current: str | None = None,
         trail: tuple[tuple[str, str], ...] = (("/", "Home"),)) -> str:
    """The shared layout around a body whose every value was escaped with `e`. `csrf_token`
    (web/security.csrf_token) goes into every form that posts."""
    return render("base.html", title, signed_in=signed_in, csrf_token=csrf_token, current=current, trail=trail,
                  body=Markup(body))
