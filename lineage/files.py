"""Files the user asks for (an export, a report, a letter), written whole or not at all.

:func:`write_atomically` writes one file beside its place and renames it in; :func:`write_directory` writes
several into a directory, all or none. Any failure is one :class:`WriteError` naming the file, and leaves no
temporary file behind. Only a regular file is replaced: renaming over a symbolic link, a FIFO or a device would
put a file where the user's link, pipe or device was.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from lineage.errors import LineageError


class WriteError(LineageError):
    """A file the user asked for that could not be written (unknown format, unwritable path); nothing was written."""


Write = Callable[[IO[bytes]], None]


def _failed(path: Path, exc: Exception) -> WriteError:
    """Any failure while writing, as the one error the callers expect, naming the file."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return WriteError(f"cannot write {path}: {reason}")


#: What a path that is not a regular file is, for the error that refuses to replace it.
_NOT_REGULAR = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


class _NotRegular(Exception):
    """What is at the path is not a regular file, which only the user may remove."""


def not_regular(mode: int) -> str | None:
    """What a file of this ``st_mode`` is, where it is not a regular file ("it is a FIFO (named pipe), not a
    regular file"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return f"it is {_NOT_REGULAR.get(stat.S_IFMT(mode), 'of an unknown type')}, not a regular file"


def open_regular(path: Path) -> IO[bytes]:
    """The regular file at ``path``, open for reading (a symbolic link to one is read through), refusing anything
    else with OSError before reading: a FIFO would wait for a writer forever (it is opened without waiting, then
    refused), and a device such as /dev/zero never ends."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    problem = not_regular(os.fstat(fd).st_mode)
    if problem is not None:
        os.close(fd)
        raise OSError(problem)
    return open(fd, "rb")


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (:func:`open_regular`). A file of more than ``limit`` bytes is
    refused having read no more than one byte past it."""
    with open_regular(path) as handle:
        content = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(content) > limit:
        raise OSError(f"it holds more than {limit:,} bytes")
    return content


def _refuse_unless_regular(path: Path) -> None:
    """Refuse to replace what is at ``path`` unless it is a regular file (or nothing): a rename would replace a
    symbolic link rather than write to its target, and a FIFO or a device rather than write into it."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    problem = not_regular(mode)
    if problem is not None:
        raise _NotRegular(problem)


def _write(handle: IO[bytes], write: Write) -> None:
    os.fchmod(handle.fileno(), 0o644)  # readable like any file the user writes, not private like a temporary one
    write(handle)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8, whole or not at all (:func:`write_atomically`): a report, a ledger, the schema."""
    data = text.encode("utf-8")

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    write_atomically(path, write)


#: The longest file name most file systems take, in bytes; a temporary name beside a file adds to the file's own.
_NAME_BYTES = 255


def beside_name(path: Path, prefix: str, suffix: str = "") -> str:
    """The name of a temporary file beside ``path`` (``prefix``, its name, ``suffix``), with its name cut and a
    digest of it kept where the whole would be too long for the file system: a save beside a snapshot of a legal
    but long name had failed only once the whole import had run."""
    name = path.name
    if len(f"{prefix}{name}{suffix}".encode()) > _NAME_BYTES - 16:  # room for what mkstemp adds
        digest = hashlib.sha256(name.encode(errors="surrogateescape")).hexdigest()[:12]
        name = f"{name.encode(errors='surrogateescape')[:100].decode(errors='ignore')}-{digest}"
    return f"{prefix}{name}{suffix}"


def write_atomically(path: Path, write: Write) -> None:
    """Write a file to a temporary file beside it, then rename it into place: a reader sees the old file or
    the new one whole. On any failure the temporary file goes and the old file stays as it was."""
    name = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=beside_name(path, "."), suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            _write(handle, write)
        _refuse_unless_regular(path)  # as late as can be: just before the rename
        os.replace(name, path)
    except Exception as exc:
        raise _failed(path, exc) from exc
    finally:
        if name is not None and os.path.exists(name):
            os.unlink(name)


def write_directory(output: Path, files: Mapping[str, Write]) -> None:
    """Write files into the directory ``output``, all of them or none.

    Every file is first written whole into a temporary directory. A new directory is that temporary one
    renamed, so it appears at once with every file in it. Into an existing directory (the temporary one is
    made inside it, so a mount point works too) the files are renamed one after the other, one export at a
    time (:func:`_moving_into`), so that is not
    atomic for a reader: looking in between, one may find some files new and others old, or for an instant
    one missing. A failed rename puts the old files back. On any failure nothing the export made is left,
    and an existing directory holds what it held.
    """
    fresh = not output.exists()
    if not fresh and not output.is_dir():
        raise WriteError(f"cannot write into {output}: it is not a directory")
    where = output.parent if fresh else output
    try:
        staging = Path(tempfile.mkdtemp(dir=where, prefix=f".{output.name}.", suffix=".tmp"))
    except Exception as exc:
        raise _failed(output, exc) from exc
    path = output
    try:
        for name, write in files.items():
            path = output / name
            with open(staging / name, "xb") as handle:
                _write(handle, write)
        path = output
        if fresh:
            os.chmod(staging, 0o755)  # like any directory the user makes, not private like a temporary one
            os.rename(staging, output)  # fails, writing nothing, if a non-empty directory appeared meanwhile
        else:
            with _moving_into(output):
                for name in files:
                    path = output / name
                    _refuse_unless_regular(path)
                path = output
                _move_into(staging, output, list(files))
    except Exception as exc:
        raise _failed(path, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: Seconds an export waits for another moving its files into the same directory (which takes milliseconds).
MOVE_WAIT = 10.0


def locked_within(fd: int, seconds: float, poll: float = 0.01) -> bool:
    """Take an exclusive OS lock on ``fd``, trying until ``seconds`` have passed; whether it was taken. The one wait
    of every lock the package takes: a snapshot's writers', an export's moving its files in."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)


@contextlib.contextmanager
def _moving_into(output: Path) -> Iterator[None]:
    """Hold an OS lock on the directory while its files are moved in: two exports into one directory at once had
    moved theirs in turn, leaving one's nodes.csv beside the other's edges.csv."""
    fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if not locked_within(fd, MOVE_WAIT):
            raise OSError(f"another export held it for {MOVE_WAIT:g} s: nothing was written")
        yield
    finally:
        os.close(fd)


def _move_into(staging: Path, output: Path, names: list[str]) -> None:
    """Rename each new file over the old one, keeping the old ones aside until all are in; if a rename fails,
    put the old files back (and take away new ones that had no old one)."""
    moved: list[str] = []
    try:
        for name in names:
            if (output / name).exists():
                os.replace(output / name, staging / f"{name}.old")
            os.replace(staging / name, output / name)
            moved.append(name)
    except BaseException:
        for name in names:
            if (staging / f"{name}.old").exists():
                os.replace(staging / f"{name}.old", output / name)
            elif name in moved:
                os.unlink(output / name)
        raise
