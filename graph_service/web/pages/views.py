"""The pages' bodies still written here: a policy, sign-in. Each fact is shown with its source."""
from __future__ import annotations

from graph_service.dates import shown
from graph_service.answers.policies import ROLE_FIELDS, Linked, Policy, PostStatus, Review, holder_summary
from graph_service.web.pages.layout import e, link, path_to, source

ROLE_HEADINGS = {field: field.replace("_", " ").capitalize() for field in ROLE_FIELDS.values()}


def _status(kind: str, text: str) -> str:
    """Text coloured (and, for people who cannot see colour, worded) by its status."""
    return f'<span class="status status-{e(kind)}">{e(text[:1].upper() + text[1:])}</span>'


def _holders(owner: PostStatus) -> str:
    """Who holds a post, with the source of each holding (or of the last one, when vacant)."""
    held = owner.holders or ([owner.last_holder] if owner.last_holder else [])
    return _status(owner.status, holder_summary(owner)) + "".join(source(h.provenance) for h in held)


def _location(answer: Policy) -> str:
    where = e(answer.document_location or "Not recorded")
    if answer.section:
        where += f", section {e(answer.section)}"
    return where


def _review(review: Review) -> str:
    return f"{e(review.shown or '')} {_status(review.status, review.label)}".strip()


def _links(items: list[Linked], href: str | None = None) -> str:
    if not items:
        return "<p>None recorded.</p>"
    rows = "".join(f"<li>{link(path_to(href, i.key), i.name) if href else e(i.name)}{source(i.provenance)}</li>"
                   for i in items)
    return f"<ul>{rows}</ul>"


def policy_page(answer: Policy) -> str:
    """Where a policy lives, its dates and review status, who owns it, and what it links to."""
    prov = source(answer.provenance)

    def cited(field: str) -> str:  # the line the document states this fact on, when recorded
        locator = answer.citations.get(field)
        return source({**answer.provenance.model_dump(), "locator": locator}) if locator else prov

    aliases = ", ".join(e(a) for a in answer.aliases or [])
    ended = f" (ended at the end of {e(shown(answer.period_end))})" if answer.period_ended else ""
    facts = [("Where it lives", f"{_location(answer)}{prov}"),
             ("Also known as", aliases) if aliases else None,
             ("Period", f"{e(answer.period)}{e(ended)}") if answer.period else None,
             ("Version", f"{e(answer.version or 'Not recorded')}{cited('version')}"),
             ("Produced", f"{e(shown(answer.produced_on))}{cited('produced_on')}") if answer.produced_on else None,
             ("Published", f"{e(shown(answer.published_on))}{cited('published_on')}") if answer.published_on else None,
             ("Last version", f"{e(shown(answer.last_version_on))}{cited('last_version_on')}") if answer.last_version_on else None,
             ("Review date", f"{_review(answer.review)}{cited('review_date') if answer.review.date else ''}"),
             ("Values", f"{e('; '.join(answer.values))}{cited('values')}") if answer.values else None,
             ("Last verified", f"{e(answer.verified_on)}{prov}") if answer.verified_on else None]
    rows = []
    for field, heading in ROLE_HEADINGS.items():
        for owner in answer.owners(field) or [None]:
            if owner is None:
                rows.append(f'<tr><th scope="row">{e(heading)}</th><td colspan="3">None recorded</td></tr>')
                continue
            rows.append(f'<tr><th scope="row">{e(heading)}</th>'
                        f'<td>{link(path_to("/posts", owner.post), owner.title)}</td>'
                        f'<td>{_holders(owner)}</td><td>{source(owner.provenance)}</td></tr>')
    return "\n".join([
        f"<h1>{e(answer.title)}</h1>",
        '<dl class="facts">' + "".join(f"<dt>{e(t)}</dt><dd>{v}</dd>" for t, v in filter(None, facts)) + "</dl>",
        '<h2 id="owners">Who owns it</h2>',
        '<table aria-labelledby="owners"><thead><tr><th scope="col">Role</th><th scope="col">Post</th>'
        '<th scope="col">Held by</th><th scope="col">Source</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>",
        "<h2>Approved by</h2>", _links(answer.approved_by),
        "<h2>Associated documents</h2>", _links(answer.associated_documents, "/policies"),
        "<h2>Priorities it supports</h2>", _links(answer.priorities),
    ])


def sign_in_page(next_path: str, error: str | None = None, *, csrf_token: str = "") -> str:
    """One field: the API key an administrator gave you. Sent once; the browser then keeps only a session."""
    problem = (f'<p class="error" id="key-error" role="alert">{e(error)}</p>' if error else "")
    described = "key-hint key-error" if error else "key-hint"
    invalid = ' aria-invalid="true"' if error else ""
    return (
        "<h1>Sign in</h1>" + problem +
        '<form method="post" action="/sign-in">'
        f'<input type="hidden" name="csrf_token" value="{e(csrf_token)}">'
        f'<input type="hidden" name="next" value="{e(next_path)}">'
        '<label for="key">API key</label>'
        '<p class="hint" id="key-hint">The key your administrator created for you (it starts with gs_).</p>'
        f'<input type="password" id="key" name="key" required autocomplete="current-password" '
        f'aria-describedby="{described}"{invalid}> '
        '<button type="submit">Sign in</button></form>'
    )


def not_found_page(message: str) -> str:
    return f"<h1>Not found</h1><p>{e(message)}</p><p>{link('/', 'Search for a policy or partner')}</p>"
