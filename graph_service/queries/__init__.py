"""Named questions asked of the graph; importing this package registers them all."""
from graph_service.queries.registry import named_query, registry

__all__ = ["named_query", "registry"]
