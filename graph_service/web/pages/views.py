"""The sign-in page's body (the other pages are templates in web/templates/)."""
from __future__ import annotations

from graph_service.web.pages.layout import e


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
