"""Uploading a file to ingest (admin): the same path as `graph-service ingest`.

An upload is kept in `<data dir>/uploads/<pid>-<random>/` (the owner's only) while it is ingested and removed
afterwards whatever happens; a folder left by a killed server is removed by the next upload."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from graph_service.access import audit
from graph_service.answers.ingest import IngestAnswer
from graph_service.store.files import Receipt, open_private, private_dir
from graph_service.web.deps import Admin, Caller, Store
from graph_service.errors import BadRequest, PayloadTooLarge, UnreadableInput
from graph_service.ingest import FORMATS, BatchReport, IngestReport, ingest_path
from graph_service.ingest.transparency import publisher_org_id

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


def safe_name(filename: str | None) -> str:
    """The upload's own base name with only safe characters; a name that is no file's name is a 400."""
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", (filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not name.strip(". "):
        raise BadRequest(f"{filename!r} is not a file name; send the file with its own name")
    return name


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _upload_folder(data_dir: Path) -> Path:
    uploads = private_dir(Path(data_dir) / "uploads")
    for left in uploads.iterdir():  # left by a server killed mid-upload
        pid = left.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(left, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=uploads))


@router.post("/api/v1/ingest", tags=["ingest"], response_model=IngestAnswer, response_model_exclude_unset=True)
async def ingest_upload(request: Request, store: Store, role: Admin, who: Caller) -> dict[str, Any]:
    """Ingest one uploaded file, or a zip of files (multipart field `file`; optional field or query `format`,
    default auto, and `publisher`, the org-id of the body that published a spend or contracts file that
    does not name it).

    Answers with the run's report: created, updated, unchanged, skipped rows and each rejected record
    with its locator, field and reason; a zip's report lists each file's under `files`. An unreadable
    file (or a zip none of whose files could be read) stores nothing and answers 422.
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
    publisher = str(form.get("publisher") or request.query_params.get("publisher") or "") or None
    if publisher:
        publisher_org_id(publisher)  # a 400 before the upload is read, not a report
    name = safe_name(upload.filename)
    data_dir = request.app.state.settings.data_dir
    folder = _upload_folder(data_dir)
    try:
        path = folder / name
        size = 0
        with os.fdopen(open_private(path, os.O_WRONLY | os.O_TRUNC), "wb") as out:
            while chunk := await upload.read(CHUNK):  # chunked uploads carry no length: count as they arrive
                size += len(chunk)
                if size > _limit(request):
                    raise _too_large(request)
                out.write(chunk)
        await upload.close()

        def audited(member: Path, source: str, report: IngestReport) -> Receipt:  # committed with each file
            return audit.ingest_receipt(data_dir, who, "api", member, report, name=source)

        report = await run_in_threadpool(ingest_path, store, path, fmt, source=name, publisher=publisher,
                                         receipt=audited)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    answer = report.as_dict()
    nothing_read = all(f.error for f in report.files) if isinstance(report, BatchReport) else bool(report.error)
    if nothing_read:
        raise UnreadableInput(answer["error"], report=answer)
    return answer
