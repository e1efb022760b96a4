"""Files the stores write beside their data: private ones, and lines a commit promises (receipts).

A commit and an append to another file (the audit log) cannot be one atomic step. So a unit carries
its audit line as a `Receipt` into its commit (the embedded journal's commit line; a :Receipt node
in Neo4j's transaction) and the store appends it after; if the writer is killed between, whoever
next reads that commit appends it. The look and the append happen under the file's lock, so a line
lands exactly once, and only for a unit that committed.
"""
from __future__ import annotations

import errno
import fcntl
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from graph_service.errors import StoreWriteError

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def private_dir(path: str | os.PathLike[str]) -> Path:
    """The directory, created if need be, readable by its owner only whatever the umask."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.stat().st_uid == os.getuid():
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is cut by the umask, and older stores were 0755
    return path


def open_private(path: str | os.PathLike[str], flags: int) -> int:
    """os.open for a file only its owner may read or write (0600 whatever the umask)."""
    fd = os.open(path, flags | os.O_CREAT, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    return fd


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in this directory durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(path: Path, data: bytes) -> None:
    """Write a private file and fsync it."""
    with os.fdopen(open_private(path, os.O_WRONLY | os.O_TRUNC), "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


@dataclass(frozen=True)
class Receipt:
    """One line (JSON, no newline) to append to the file at `path` (absolute) once the write commits."""

    path: str
    line: str

    def as_list(self) -> list[str]:
        return [self.path, self.line]


def append_lines(path: Path, lines: Iterable[str], *, unless_present: bool = False) -> None:
    """Append each line and fsync; with `unless_present`, only lines the file does not hold yet (receipts
    another reader of the commit may have appended). Raises StoreWriteError naming the file."""
    try:
        private_dir(path.parent)
        new = not path.exists()
        fd = open_private(path, os.O_RDWR | os.O_APPEND)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # the API and the CLI may append at once
            size = os.fstat(fd).st_size
            held = set(os.pread(fd, size, 0).split(b"\n")) if unless_present and size else set()
            wanted = [line.encode() for line in dict.fromkeys(lines)]
            data = b"".join(line + b"\n" for line in wanted if line not in held)
            if data and size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a line torn by a crash stays on its own line
            if data:
                written = os.write(fd, data)
                if written != len(data):  # a short write: the disk filled up part-way
                    raise OSError(errno.ENOSPC, "only part of the entry could be written")
                os.fsync(fd)
        finally:
            os.close(fd)
        if new:
            fsync_dir(path.parent)
    except OSError as exc:
        raise StoreWriteError(f"could not append to {path}: {exc.strerror or exc}", path=str(path)) from exc


def settle(receipts: Iterable[Receipt]) -> None:
    """Append every receipt's line its file does not hold yet: one read and one append per file."""
    by_path: dict[str, list[str]] = defaultdict(list)
    for receipt in receipts:
        by_path[receipt.path].append(receipt.line)
    for path, lines in by_path.items():
        append_lines(Path(path), lines, unless_present=True)
