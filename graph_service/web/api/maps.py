"""Saved map views as JSON: anyone allowed to see maps may list and open them; editors and above save."""
from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from graph_service.answers import maps as saved
from graph_service.web.deps import Caller, Editor, Store, Viewer

router = APIRouter(tags=["maps"])


class SavedViewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, description="what officers will call it; saving a name again replaces it")
    address: str = Field(max_length=2000, description="the map's path and query, e.g. /maps/ego/org:hertfordshire-lep?hops=1")
    focus: str | None = Field(None, max_length=200, description="the key of the node the view is focused on")
    positions: dict[str, tuple[float, float]] = Field(default_factory=dict, max_length=saved.MAX_POSITIONS,
                                                      description="nodes moved by hand: {key: [x, y]}")
    labels: Literal["always", "hover", "off"] = "always"


class SaveRecord(BaseModel):
    name: str
    saved_by: str
    saved_at: str


class SavedViewAnswer(BaseModel):
    key: str
    name: str
    kind: str = Field(description="stakeholders, grid, ego or policy-ownership")
    address: str = Field(description="the map's path and query: its filters, centre, hops and dates")
    link: str = Field(description="opens the map as saved")
    focus: str | None
    positions: dict[str, list[float]]
    labels: str
    saved_by: str = Field(description="the name and role of the key that saved this version")
    saved_at: str
    history: list[SaveRecord] = Field(description="earlier saves under this name, oldest first")


class SavedViewListing(BaseModel):
    key: str
    name: str
    kind: str
    address: str
    link: str
    saved_by: str
    saved_at: str


def _answer(view: saved.SavedView) -> SavedViewAnswer:
    return SavedViewAnswer(**asdict(view), link=view.link)


@router.get("/api/v1/maps/views")
def list_saved_views(store: Store, role: Viewer) -> list[SavedViewListing]:
    """Every saved map view, by name, with who saved it last and when."""
    return [SavedViewListing(**row, link=saved.view_link(row["key"])) for row in saved.saved_views(store)]


@router.get("/api/v1/maps/views/{key:path}")
def get_saved_view(key: str, store: Store, role: Viewer) -> SavedViewAnswer:
    """One saved view, with its earlier saves."""
    return _answer(saved.saved_view(store, key))


@router.post("/api/v1/maps/views", status_code=201)
def save_view(request: SavedViewRequest, store: Store, role: Editor, who: Caller) -> SavedViewAnswer:
    """Save the map at `address` under `name` (again, if the name is taken: the earlier save stays in history)."""
    return _answer(saved.save_view(store, name=request.name, address=request.address, who=f"{who.label} ({who.role})",
                                   focus=request.focus, positions=dict(request.positions), labels=request.labels))
