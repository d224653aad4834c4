"""A private Virtuoso instance on loopback for the tests (Debian package virtuoso-opensource).

It gets its own database directory and free ports, is pushed the graph through the SPARQL 1.1
Graph Store Protocol, and is stopped when the test session ends. Nothing is installed here:
``make test`` (and so ``.ci/run``) installs the package when it is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VSP_ROOT = Path("/var/lib/virtuoso-opensource-7/vsp")
VAD_DIR = Path("/usr/share/virtuoso-opensource-7/vad")

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}, {vad}
VADInstallDir = {vad}/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def binary() -> str | None:
    """The Virtuoso server executable, if installed."""
    return shutil.which("virtuoso-t")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(workdir: Path, timeout: float = 90.0) -> Iterator[str]:
    """Start a private instance; yield its base URL (``http://127.0.0.1:PORT``)."""
    exe = binary()
    if exe is None:
        raise RuntimeError("virtuoso-t is not installed (make test installs virtuoso-opensource)")
    workdir.mkdir(parents=True, exist_ok=True)
    http = _free_port()
    ini = workdir / "virtuoso.ini"
    vsp = VSP_ROOT if VSP_ROOT.is_dir() else workdir
    ini.write_text(INI.format(d=workdir, sql=_free_port(), http=http, vad=VAD_DIR, vsp=vsp))
    log = (workdir / "stdout.log").open("w")
    proc = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)], cwd=workdir, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{http}"
    try:
        _wait(base, proc, timeout, workdir)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait(base: str, proc: subprocess.Popen[bytes], timeout: float, workdir: Path) -> None:
    deadline = time.monotonic() + timeout
    url = f"{base}/sparql?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso exited: {(workdir / 'virtuoso.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"virtuoso did not answer within {timeout} s")


@contextmanager
def credentials_in_env() -> Iterator[None]:
    """The private instance's credentials in ``MERCURY_KG_USER``/``_PASSWORD``, then restored."""
    saved = {k: os.environ.get(k) for k in credentials()}
    os.environ.update(credentials())
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def credentials() -> dict[str, str]:
    """The default DBA account of a fresh Virtuoso database (only reachable on loopback)."""
    return {
        "MERCURY_KG_USER": "dba",
        "MERCURY_KG_PASSWORD": os.environ.get("VIRTUOSO_DBA_PASSWORD", "dba"),
    }
