"""What needs attention today, for one role: each item a count and the register view that lists it.

Built from the other answers, so the home page's counts are the registers' own: accountability gaps
(answers/policies), lapsed charters (answers/charters) and, for procurement, contracts ending within
the first expiry window without a successor (answers/procurement.expiring) and red partners
(answers/health health_report).
"""
from __future__ import annotations

from urllib.parse import urlencode

from pydantic import BaseModel

from graph_service.errors import BadRequest
from graph_service.answers import charters, policies, procurement
from graph_service.answers.health.report import health_report
from graph_service.store.base import GraphStore


class Attention(BaseModel):
    key: str
    text: str
    count: int
    href: str


def _href(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def attention(store: GraphStore, *, verify_after_days: int, procurement_role: bool,
              as_of: str | None = None) -> list[Attention]:
    """The day's list: gaps by reason, lapsed charters, and procurement's expiring contracts and red partners."""
    gaps = policies.accountability_gaps(store, verify_after_days=verify_after_days, as_of=as_of).counts
    text = policies.GAP_REASONS
    items = [Attention(key="review_overdue", text="Policy reviews overdue", count=gaps["review_overdue"],
                       href=_href("/gaps", reason=text["review_overdue"])),
             Attention(key="owner_post_vacant", text="Owners whose post is vacant", count=gaps["owner_post_vacant"],
                       href=_href("/gaps", reason=text["owner_post_vacant"])),
             Attention(key="no_owner", text="Policies without an officer or member owner",
                       count=gaps["no_officer_owner"] + gaps["no_member_owner"], href="/gaps"),
             Attention(key="not_verified", text="Records not verified recently", count=gaps["not_verified"],
                       href=_href("/gaps", reason=text["not_verified"])),
             Attention(key="lapsed_charters", text="Charters lapsed", count=len(charters.lapsed_charters(store, as_of)),
                       href=_href("/charters", lapsed="lapsed"))]
    if procurement_role:
        try:
            window = procurement.expiring(store, as_of, limit=0)["windows"][0]  # the totals, no contracts
            red = health_report(store, as_of, rating="red")["counts"]["red"]
        except BadRequest:  # no buyer to scope them to yet (an empty store): nothing to attend to there
            return items
        items.append(Attention(key="expiring", text=f"Contracts ending within {window['months']} months without a successor",
                               count=window["without_successor"],
                               href=_href("/contracts", flag="ending soon without a successor")))
        items.append(Attention(key="red_partners", text="Partners rated red", count=red, href=_href("/health", rating="red")))
    return items
