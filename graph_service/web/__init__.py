"""The web layer: the FastAPI app (`app`), shared dependencies (`deps`), one error handler (`errors`),
JSON routes under `api/` and HTML pages under `pages/`."""
