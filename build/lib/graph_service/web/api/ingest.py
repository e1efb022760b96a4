"""Uploading a file to ingest (admin): the same path as `graph-service ingest`."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from graph_service.access import audit
from graph_service.web.deps import Admin, Caller, Store
from graph_service.errors import BadRequest, PayloadTooLarge, UnreadableInput
from graph_service.ingest import FORMATS, ingest_file

router = APIRouter()
CHUNK = 1024 * 1024


def _limit(request: Request) -> int:
    return request.app.state.settings.max_upload_mb * 1024 * 1024


def _too_large(request: Request) -> PayloadTooLarge:
    mb = request.app.state.settings.max_upload_mb
    return PayloadTooLarge(f"uploads are limited to {mb} MB (GRAPH_SERVICE_MAX_UPLOAD_MB); "
                           "load larger files with 'graph-service ingest PATH'", limit_mb=mb)


def _limited(request: Request) -> Request:
    """The request with a body that stops at the limit: a chunked upload carries no length, and the form
    parser would otherwise spool all of it to disk before the route could count it."""
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > _limit(request):
            raise _too_large(request)
        return message

    return Request(request.scope, receive)


@router.post("/api/v1/ingest", tags=["ingest"])
async def ingest_upload(request: Request, store: Store, role: Admin, who: Caller) -> dict[str, Any]:
    """Ingest one uploaded file (multipart field `file`; optional field or query `format`, default auto).

    Answers with the run's report: created, updated, unchanged and each rejected record with
    its locator, field and reason. An unreadable file stores nothing and answers 422.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > _limit(request):
        raise _too_large(request)  # refused before a byte of the body is read
    form = await _limited(request).form(max_files=1)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise BadRequest("send the file as the multipart form field 'file'")
    fmt = str(form.get("format") or request.query_params.get("format") or "auto")
    if fmt not in ("auto", *FORMATS):
        raise BadRequest(f"unknown format {fmt!r}", formats=["auto", *FORMATS])
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", Path(upload.filename or "upload").name).strip() or "upload"
    with tempfile.TemporaryDirectory(prefix="graph-service-upload-") as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:  # chunked uploads carry no length: count as they arrive
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > _limit(request):
                    raise _too_large(request)
                out.write(chunk)
        await upload.close()
        report = await run_in_threadpool(ingest_file, store, path, fmt, source=name)
        await run_in_threadpool(audit.record_ingest, request.app.state.settings.data_dir, who, "api", path, report)
    if report.error:
        raise UnreadableInput(report.error, report=report.as_dict())
    return report.as_dict()
