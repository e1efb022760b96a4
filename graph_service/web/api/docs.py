"""/docs: Swagger UI served from the installed `swagger-ui-bundle-v2` package and our own start-up script,
so the page loads nothing from another site and its Content-Security-Policy allows only 'self'."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from graph_service.errors import NotFound

router = APIRouter(include_in_schema=False)
SWAGGER = Path(swagger_ui_path)
START = Path(__file__).resolve().parents[1] / "assets" / "docs.js"
ASSETS = {"swagger-ui.css": SWAGGER / "swagger-ui.css", "swagger-ui-bundle.js": SWAGGER / "swagger-ui-bundle.js",
          "favicon-32x32.png": SWAGGER / "favicon-32x32.png", "docs.js": START}
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>graph-service API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body>
</html>
"""


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFound(f"no such file {name!r}")
    return FileResponse(ASSETS[name], headers={"Cache-Control": "max-age=86400"})
