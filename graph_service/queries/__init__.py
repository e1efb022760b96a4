"""Named questions asked of the graph; importing this package registers every module's queries."""
import importlib
import pkgutil

from graph_service.queries.registry import ask, named_query, registry

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["ask", "named_query", "registry"]
