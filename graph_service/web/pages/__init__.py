"""HTML pages, one module per area; each exposes `router`. `layout` holds the page shell."""
