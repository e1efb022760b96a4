"""Answers to the officers' questions, built on the named queries: policies, governance, stakeholders,
health and procurement. Presentation (web/, cli/, visualisations/) imports these, never the other way."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

Facts = dict[str, Any]  # a stored node's or relationship's own properties, which differ by label


class Answer(BaseModel):
    """A typed answer for the API's response models. A key the model does not yet name is still sent, and the
    routes send only the keys the answer has (`response_model_exclude_unset`), so typing changes no answer."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Named(Answer):
    key: str
    name: str | None = None
