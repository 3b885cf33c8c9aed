"""Real processes for the tests that start writers together, kill one mid-write, or lose the store under one:
the `lineage` command run as an operator runs it, on the code of this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"


def python(*args: object) -> subprocess.Popen[str]:
    """Start ``python ARGS`` on the code of this checkout, its output captured."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, *map(str, args)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def lineage(*args: object) -> subprocess.Popen[str]:
    """Start ``lineage ARGS`` (``python -m lineage.cli``), its output captured."""
    return python("-m", "lineage.cli", *args)


def finished(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    """Wait for a started command: its exit code, standard output and standard error. One still running after
    ``timeout`` seconds is killed, and the test fails."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"still running after {timeout} s: {process.args}\n{err[-2000:]}") from None
    return process.returncode, out, err


def run(*args: object, timeout: float = 300) -> tuple[int, str, str]:
    return finished(lineage(*args), timeout)


def until(condition: Callable[[], bool], timeout: float = 120, every: float = 0.005) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def messages(err: str) -> list[str]:
    """The lines of standard error, the progress line's rewrites (carriage returns) split apart."""
    return [line.strip() for line in err.replace("\r", "\n").splitlines() if line.strip()]


def one_line_error(err: str) -> str:
    """The command's error, checked to be one ``lineage:`` line after its progress lines, and no traceback."""
    assert "Traceback" not in err, err
    errors = [line for line in messages(err) if not line.startswith("[")]
    assert len(errors) == 1 and errors[0].startswith("lineage: "), err
    return errors[0]


class Watched:
    """A started command whose standard error is read as it comes, to act at a stage it reports."""

    def __init__(self, *args: object) -> None:
        self.process = lineage(*args)
        self.out = self.err = ""
        self._readers = [threading.Thread(target=self._read, args=(name,), daemon=True) for name in ("out", "err")]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str) -> None:
        stream = self.process.stdout if name == "out" else self.process.stderr
        assert stream is not None
        for chunk in iter(lambda: stream.read(1), ""):
            setattr(self, name, getattr(self, name) + chunk)

    def saw(self, text: str) -> bool:
        return text in self.err

    def wait(self, timeout: float = 300) -> tuple[int, str, str]:
        """Its exit code, standard output and standard error, once it has ended."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"still running after {timeout} s: {self.process.args}\n{self.err[-2000:]}") from None
        for reader in self._readers:
            reader.join(10)
        return self.process.returncode, self.out, self.err
