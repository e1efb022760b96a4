"""Dated snapshots of the portfolio's scores, and what changed since the previous one.

Snapshots are JSON files, `<data_dir>/health-snapshots/YYYY-MM-DD.json` (the as_of date), not graph
nodes: a score is derived from the graph, not a fact with a source, and a file per date works the same
whichever backend holds the graph, can be diffed, archived or deleted by hand, and never touches the
parity of the two stores. Saving twice for the same date replaces that day's file.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from graph_service.errors import NotFound, StoreWriteError
from graph_service.records import now_utc

SNAPSHOT_DIR = "health-snapshots"
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


def snapshot_dir(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / SNAPSHOT_DIR


def compact(result: dict[str, Any]) -> dict[str, Any]:
    """What a snapshot keeps of a partner's result: enough to say later what moved."""
    return {"name": result["name"], "score": result["score"], "rating": result["rating"], "coverage": result["coverage"],
            "dimensions": {d["name"]: {"sub_score": d["sub_score"], "points": d["points"]} for d in result["dimensions"]},
            "overrides": sorted({o["code"] for o in result["overrides"]})}


def save(directory: Path, as_of: str, weights: dict[str, float], results: list[dict[str, Any]]) -> Path:
    """Write the day's snapshot atomically (a temporary file renamed into place)."""
    data = {"as_of": as_of, "saved_at": now_utc(), "weights": weights,
            "partners": {r["partner"]: compact(r) for r in results}}
    path = directory / f"{as_of}.json"
    tmp = path.with_suffix(".tmp")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreWriteError(f"could not save the health snapshot in {directory}: {exc.strerror or exc}") from exc
    return path


def dates(directory: Path) -> list[str]:
    """Snapshot dates held, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.iterdir() if _NAME.match(p.name))


def load(directory: Path, date: str) -> dict[str, Any]:
    path = directory / f"{date}.json"
    if not _NAME.match(path.name) or not path.exists():
        raise NotFound(f"no health snapshot for {date!r}", known=dates(directory))
    return json.loads(path.read_text())


def previous(directory: Path, before: str) -> dict[str, Any] | None:
    """The latest snapshot dated before `before` (the one a run on that day compares with)."""
    earlier = [d for d in dates(directory) if d < before]
    return load(directory, earlier[-1]) if earlier else None


def change(result: dict[str, Any], snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    """How a partner's result differs from the snapshot: the score, the rating, and which dimensions moved
    (by the points they contribute), largest movement first."""
    if snapshot is None:
        return None
    before = snapshot["partners"].get(result["partner"])
    if before is None:
        return {"since": snapshot["as_of"], "new": True}
    moved = []
    for d in result["dimensions"]:
        old = before["dimensions"].get(d["name"], {"sub_score": None, "points": 0.0})
        delta = round(d["points"] - old["points"], 2)
        if delta or old["sub_score"] != d["sub_score"]:
            moved.append({"dimension": d["name"], "points": delta, "sub_score_from": old["sub_score"],
                          "sub_score_to": d["sub_score"]})
    moved.sort(key=lambda m: (-abs(m["points"]), m["dimension"]))
    codes = {o["code"] for o in result["overrides"]}
    score_delta = None if result["score"] is None or before["score"] is None else round(result["score"] - before["score"], 2)
    return {"since": snapshot["as_of"], "new": False, "score_from": before["score"], "score_delta": score_delta,
            "rating_from": before["rating"], "moved": moved,
            "overrides_added": sorted(codes - set(before["overrides"])),
            "overrides_removed": sorted(set(before["overrides"]) - codes)}


def history(directory: Path, partner: str) -> list[dict[str, Any]]:
    """The partner's score and rating in every snapshot that has it, oldest first."""
    out = []
    for date in dates(directory):
        entry = load(directory, date)["partners"].get(partner)
        if entry:
            out.append({"date": date, "score": entry["score"], "rating": entry["rating"], "coverage": entry["coverage"]})
    return out
