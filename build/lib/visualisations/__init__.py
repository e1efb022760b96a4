"""Interactive maps drawn from the graph, rendered as self-contained, offline HTML pages.

    view = stakeholder_view(analyse(store, Role.viewer))   # or grid_view, ego_view, policy_view
    html = render_html(view)                                # or export(view, "graphml")
"""
from visualisations.maps import ego_view, grid_view, policy_view, stakeholder_view
from visualisations.render import render_html
from visualisations.view import EXPORT_TYPES, MapView, export

__all__ = ["EXPORT_TYPES", "MapView", "ego_view", "export", "grid_view", "policy_view", "render_html",
           "stakeholder_view"]
