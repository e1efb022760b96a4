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

from graph_service.access.auth import Role
from graph_service.dates import DATE_HINT, long_date, short_date
from graph_service.records import FactSource

SITE_NAME = "Dacorum policies and partners"
COUNCIL_NAME = "Dacorum Borough Council"

# Same-origin stylesheet, no scripts: the Content-Security-Policy of every page allows nothing else.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

STATIC = Path(__file__).resolve().parents[1] / "static"
# GOV.UK Frontend's compiled styles (scripts/vendor-govuk-frontend.sh), then ours on top: both served by
# routes.static_file from the package, so the Content-Security-Policy's style-src 'self' holds.
STYLESHEETS = ("/static/govuk-frontend/govuk-frontend.min.css", "/static/pages.css")

# The tag beside every generated fact, as large as the fact itself; a page showing one gets ILLUSTRATIVE_BANNER.
ILLUSTRATIVE_TAG = '<strong class="govuk-tag app-tag--illustrative example">Illustrative example</strong>'
ILLUSTRATIVE_BANNER = (
    '<div class="govuk-phase-banner app-illustrative-banner"><p class="govuk-phase-banner__content">'
    '<strong class="govuk-tag govuk-phase-banner__content__tag app-tag--illustrative">Illustrative data</strong>'
    '<span class="govuk-phase-banner__text">This page includes generated sample data, marked “Illustrative '
    'example” beside each such fact. It is not a council record.</span></p></div>')
_BANNER_SLOT = "<!-- illustrative banner -->"


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
    example = f" {ILLUSTRATIVE_TAG}" if provenance.get("illustrative") else ""
    where = f", {e(provenance['locator'])}" if provenance.get("locator") else ""
    return f'{example}<span class="source">Source: {e(provenance["source"])}{where}</span>'


# The header's links (path, text, procurement only): the registers used most, the map and procurement's pages.
NAVIGATION = (("/", "Home", False), ("/policies", "Policies", False), ("/partners", "Partners", False),
              ("/workstreams", "Work streams", False), ("/posts", "Posts", False), ("/charters", "Charters", False),
              ("/gaps", "Accountability gaps", False), ("/maps", "Maps", False),
              ("/procurement", "Procurement", True), ("/health", "Relationship health", True))
# Every page there is, grouped, for the home page: (group, ((path, text, procurement only), ...)).
PLACES = (
    ("Registers", (("/policies", "Policies", False), ("/partners", "Partners", False),
                   ("/workstreams", "Work streams", False), ("/posts", "Posts", False), ("/charters", "Charters", False),
                   ("/initiatives", "Initiatives", False), ("/indicators", "Key indicators", False),
                   ("/themes", "Themes", False), ("/programmes", "Programmes", False),
                   ("/gaps", "Accountability gaps", False), ("/contracts", "Contracts", True), ("/grants", "Grants", True))),
    ("Maps", (("/maps", "Maps and saved views", False), ("/maps/stakeholders", "Stakeholder map", False),
              ("/maps/grid", "Power-interest grid", False),
              ("/maps/policy-ownership", "Policy ownership", False))),
    ("Procurement", (("/health", "Relationship health", True), ("/procurement/expiring", "Contracts ending soon", True),
                     ("/procurement/concentration", "Spend concentration", True),
                     ("/procurement/single-points-of-failure", "Single points of failure", True),
                     ("/procurement/kraljic", "Kraljic positions", True),
                     ("/procurement/commissioning", "Grants against contracts", True))),
)
# Role names, not ranks, reach the templates: who sees procurement's pages, and who sees the forms that record facts.
PROCUREMENT_ROLES = tuple(r.name for r in Role if r >= Role.procurement)
RECORDING_ROLES = tuple(r.name for r in Role if r >= Role.editor)

# Autoescape on for every template: partner data is untrusted.
TEMPLATES = Environment(loader=PackageLoader("graph_service.web", "templates"), autoescape=True,
                        trim_blocks=True, lstrip_blocks=True)
TEMPLATES.globals.update(site_name=SITE_NAME, council_name=COUNCIL_NAME, stylesheets=STYLESHEETS,
                         navigation=NAVIGATION, procurement_roles=PROCUREMENT_ROLES, recording_roles=RECORDING_ROLES,
                         illustrative_tag=Markup(ILLUSTRATIVE_TAG), illustrative_banner=Markup(_BANNER_SLOT),
                         path_to=path_to, source=lambda provenance: Markup(source(provenance)),  # built from escaped parts
                         date_hint=DATE_HINT)
TEMPLATES.filters.update(long_date=long_date, short_date=short_date)  # dates shown the British way


def render(template: str, title: str, *, signed_in: str | None = None, csrf_token: str = "",
           current: str | None = None, trail: tuple[tuple[str, str], ...] = (("/", "Home"),), **context: Any) -> str:
    """A page from a template extending base.html: the header's navigation (when signed in), a breadcrumb
    of `trail` then `title` (none when `trail` is empty: the home page), the content, and the illustrative-data
    banner when the content shows ILLUSTRATIVE_TAG (a template writes `{{ illustrative_tag }}`)."""
    html_page = TEMPLATES.get_template(template).render(title=title, signed_in=signed_in, csrf_token=csrf_token,
                                                        current=current, trail=trail, **context)
    # The tag's markup cannot come from escaped partner data (it holds '<'), so its presence is the page's own.
    return html_page.replace(_BANNER_SLOT, ILLUSTRATIVE_BANNER if ILLUSTRATIVE_TAG in html_page else "", 1)


def page(title: str, body: str, *, signed_in: str | None = None, csrf_token: str = "", current: str | None = None,
         trail: tuple[tuple[str, str], ...] = (("/", "Home"),)) -> str:
    """The shared layout around a body whose every value was escaped with `e`. `csrf_token`
    (web/security.csrf_token) goes into every form that posts."""
    return render("base.html", title, signed_in=signed_in, csrf_token=csrf_token, current=current, trail=trail,
                  body=Markup(body))
