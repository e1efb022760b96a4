"""What officers record (editor role and above; this module sorts before policies.py so its /facts route is
matched before /policies/{key:path}): assessments, engagements, charters, relationship holders and
policy corrections. A stored fact's GET gives its version as the ETag; a PUT or DELETE must send it back as
If-Match (428 without it, 412 when the fact changed since), so a second edit never silently overwrites the first."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, Field

from graph_service.answers.charters import Charter, get_charter
from graph_service.answers.recorded import assessments, charters, engagements, holders, policies
from graph_service.answers.recorded.assessments import AssessmentIn, OfficerPlacement
from graph_service.answers.recorded.charters import CharterIn
from graph_service.answers.recorded.engagements import EngagementIn, EngagementOut
from graph_service.answers.recorded.holders import HolderEndIn, HolderIn, HoldersAnswer
from graph_service.answers.recorded.policies import PolicyFacts, PolicyFactsIn
from graph_service.web.deps import Caller, Editor, Store, Viewer
from graph_service.web.errors import ErrorBody

router = APIRouter(prefix="/api/v1", tags=["recording"])
IfMatch = Annotated[str | None, Header(description="the ETag of the fact as you read it")]
VERSIONED = {status: {"model": ErrorBody, "description": text} for status, text in (
    (412, "the fact changed since you read it: read it again"), (428, "send If-Match with the ETag you read"))}
CREATED = {409: {"model": ErrorBody, "description": "it exists already"}}


class AssessmentAnswer(BaseModel):
    partner: str
    assessment: OfficerPlacement | None = Field(description="the officer's placement in force, if any")
    version: str = Field(description="the ETag: send it as If-Match to change or withdraw the assessment")


class CharterAnswer(Charter):
    version: str = Field(description="the ETag: send it as If-Match to correct the charter")


def _data_dir(request: Request):
    return request.app.state.settings.data_dir


def _tagged(response: Response, version: str) -> str:
    response.headers["ETag"] = f'"{version}"'
    return version


def _assessment(store, key: str, response: Response) -> AssessmentAnswer:
    version = _tagged(response, assessments.current_version(store, key))
    return AssessmentAnswer(partner=key, assessment=assessments.placements(store, key).get(key), version=version)


@router.get("/stakeholders/{key}/assessment")
def get_assessment(key: str, store: Store, role: Viewer, response: Response) -> AssessmentAnswer:
    """The officer's placement of the partner on the grid, with who, when and why (none: the computed one holds)."""
    return _assessment(store, key, response)


@router.put("/stakeholders/{key}/assessment", responses=VERSIONED)
def put_assessment(key: str, body: AssessmentIn, request: Request, store: Store, role: Editor, who: Caller,
                   response: Response, if_match: IfMatch = None) -> AssessmentAnswer:
    """Record the officer's power and interest (0 to 1) and the reason; it decides the partner's quadrant."""
    assessments.record(store, _data_dir(request), who, "api", key, body, if_match)
    return _assessment(store, key, response)


@router.delete("/stakeholders/{key}/assessment", responses=VERSIONED)
def delete_assessment(key: str, request: Request, store: Store, role: Editor, who: Caller, response: Response,
                      if_match: IfMatch = None) -> AssessmentAnswer:
    """Withdraw the officer's placement: the computed one holds again (the withdrawn one stays in history)."""
    assessments.withdraw(store, _data_dir(request), who, "api", key, if_match)
    return _assessment(store, key, response)


@router.post("/partners/{key}/engagements", status_code=201)
def post_engagement(key: str, body: EngagementIn, request: Request, store: Store, role: Editor,
                    who: Caller) -> EngagementOut:
    """Record a meeting, review or visit with the partner: evidence for the health model's engagement score."""
    return engagements.record(store, _data_dir(request), who, "api", key, body)


def _charter(store, key: str, response: Response) -> CharterAnswer:
    version = _tagged(response, charters.current_version(store, key))
    return CharterAnswer(**get_charter(store, key).model_dump(), version=version)


@router.get("/charters/{key}")
def get_charter_facts(key: str, store: Store, role: Viewer, response: Response) -> CharterAnswer:
    """A charter, its parties and whether it has lapsed, with its version to correct it."""
    return _charter(store, key, response)


@router.post("/charters", status_code=201, responses=CREATED)
def post_charter(body: CharterIn, request: Request, store: Store, role: Editor, who: Caller,
                 response: Response) -> CharterAnswer:
    """Record a signed charter: its parties hold from the day it was signed; after its review date it has lapsed."""
    created = charters.create(store, _data_dir(request), who, "api", body)
    return _charter(store, created.key, response)


@router.put("/charters/{key}", responses=VERSIONED)
def put_charter(key: str, body: CharterIn, request: Request, store: Store, role: Editor, who: Caller,
                response: Response, if_match: IfMatch = None) -> CharterAnswer:
    """Correct a charter; a party left out stops being a party today."""
    charters.correct(store, _data_dir(request), who, "api", key, body, if_match)
    return _charter(store, key, response)


def _holders(store, key: str, response: Response) -> HoldersAnswer:
    answer = holders.holders(store, key)
    _tagged(response, answer.version)
    return answer


@router.get("/partners/{key}/holder")
def get_holder(key: str, store: Store, role: Viewer, response: Response) -> HoldersAnswer:
    """Which post holds the relationship now, and every post that has."""
    return _holders(store, key, response)


@router.put("/partners/{key}/holder", responses=VERSIONED)
def put_holder(key: str, body: HolderIn, request: Request, store: Store, role: Editor, who: Caller,
               response: Response, if_match: IfMatch = None) -> HoldersAnswer:
    """A post holds the relationship from a date; the current holder's ends that day."""
    holders.set_holder(store, _data_dir(request), who, "api", key, body, if_match)
    return _holders(store, key, response)


@router.post("/partners/{key}/holder/end", responses=VERSIONED)
def end_holder(key: str, body: HolderEndIn, request: Request, store: Store, role: Editor, who: Caller,
               response: Response, if_match: IfMatch = None) -> HoldersAnswer:
    """The current holder stops holding the relationship on a date (it is then unheld)."""
    holders.end_holder(store, _data_dir(request), who, "api", key, body, if_match)
    return _holders(store, key, response)


def _policy(store, key: str, response: Response) -> PolicyFacts:
    answer = policies.facts(store, key)
    _tagged(response, answer.version_tag)
    return answer


@router.get("/policies/{key}/facts")
def get_policy_facts(key: str, store: Store, role: Viewer, response: Response) -> PolicyFacts:
    """A policy's location, version, review date and owners in force, with the version to correct them."""
    return _policy(store, key, response)


@router.put("/policies/{key}/facts", responses=VERSIONED)
def put_policy_facts(key: str, body: PolicyFactsIn, request: Request, store: Store, role: Editor, who: Caller,
                     response: Response, if_match: IfMatch = None) -> PolicyFacts:
    """Correct a policy's location, version or review date, and its owners from a date."""
    policies.correct(store, _data_dir(request), who, "api", key, body, if_match)
    return _policy(store, key, response)
