"""Real services for the outbox fault tests: a private redis-server, a tiny SMTP sink that
counts deliveries, and Celery worker processes on the test database.

Never touches the machine's shared Redis on 6379: every server here is started on a free
port and stopped by the test that started it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def require_postgresql() -> None:
    """Fail, never skip: these tests are the proof and must not pass by not running."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail(
            "Integration tests need PostgreSQL: run them with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/ppir (as .ci/run does); "
            f"the database here is {connection.vendor}.",
            pytrace=False,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- Redis --------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port: no persistence, stopped by its owner."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="ppir-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments, our own binary
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 10, f"redis-server on port {self.port}")
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def llen(self, key: str = "celery") -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(key)


# --- SMTP sink ----------------------------------------------------------------------------


@dataclass
class Delivery:
    message_id: str
    to: list[str]
    subject: str


@dataclass
class SmtpSink:
    """A minimal SMTP server in a thread; it records each message when it accepts it.

    `stall_at` ("rcpt" or "data") makes the next session hang at that step until released,
    so a test can kill the sending worker at a known moment: at "rcpt" the message has not
    reached the receiver; at "data" the receiver has it but the sender never hears "250"."""

    deliveries: list[Delivery] = field(default_factory=list)
    stall_at: str = ""
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> SmtpSink:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 30

            def reply(self, line: str) -> None:
                with contextlib.suppress(OSError):
                    self.wfile.write(line.encode() + b"\r\n")
                    self.wfile.flush()

            def maybe_stall(self, step: str) -> None:
                with sink.lock:
                    armed = sink.stall_at == step
                    if armed:
                        sink.stall_at = ""
                if armed:
                    sink.stalled.set()
                    sink.release.wait(30)

            def handle(self) -> None:
                self.reply("220 sink ESMTP")
                rcpts: list[str] = []
                while True:
                    try:
                        line = self.rfile.readline()
                    except OSError:
                        return
                    if not line:
                        return
                    cmd = line.decode(errors="replace").strip()
                    verb = cmd[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        rcpts = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        self.maybe_stall("rcpt")
                        rcpts.append(cmd.split(":", 1)[1].strip(" <>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 go ahead")
                        data = b""
                        while not data.endswith(b"\r\n.\r\n"):
                            chunk = self.rfile.readline()
                            if not chunk:
                                return
                            data += chunk
                        self.maybe_stall("data")
                        msg = message_from_bytes(data[:-5].replace(b"\r\n..", b"\r\n."))
                        with sink.lock:
                            sink.deliveries.append(
                                Delivery(
                                    message_id=msg["Message-ID"],
                                    to=rcpts,
                                    subject=str(msg["Subject"]),
                                )
                            )
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def arm(self, step: str) -> None:
        self.stalled.clear()
        self.release.clear()
        self.stall_at = step

    def count(self) -> int:
        with self.lock:
            return len(self.deliveries)

    def distinct(self) -> int:
        with self.lock:
            return len({d.message_id for d in self.deliveries})

    def per_message_id(self) -> dict[str, int]:
        with self.lock:
            out: dict[str, int] = {}
            for d in self.deliveries:
                out[d.message_id] = out.get(d.message_id, 0) + 1
            return out


# --- Celery -------------------------------------------------------------------------------


def worker_env(
    *, redis: RedisServer, sink: SmtpSink, lease: int = 3, conn_max_age: int = 0
) -> dict[str, str]:
    """The environment of a worker process: the pytest-django test database (not the
    configured name), our Redis, SMTP to our sink, a short lease."""
    from django.db import connection

    s = connection.settings_dict
    db_url = (
        f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{s['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ppir.settings.test",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "CELERY_RESULT_BACKEND": redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_TIMEOUT": "20",
        "NOTIFICATIONS_LEASE_SECONDS": str(lease),
        "CONN_MAX_AGE": str(conn_max_age),
        "PYTHONUNBUFFERED": "1",
    }
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


class Worker:
    """`celery worker --pool=solo` in its own process group: the process that sends is the
    process a test kills."""

    def __init__(self, env: dict[str, str], name: str, pool: tuple[str, ...] = ("--pool=solo",)):
        self.log = Path(tempfile.mkstemp(prefix=f"ppir-{name}-", suffix=".log")[1])
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ppir",
                "worker",
                *pool,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{name}@%h",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: b"ready." in self.log.read_bytes() or self.proc.poll() is not None,
            60,
            f"worker {name} to start",
        )
        if self.proc.poll() is not None:
            pytest.fail(f"worker {name} exited:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no ack, no clean-up, as when the machine loses the process."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def web_celery_on(redis: RedisServer):
    """Point this process's Celery app (the 'web' side that publishes) at our Redis, not
    eager, and restore it afterwards."""
    from ppir.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {k: app.conf[k] for k in keys}
    app.conf.update(broker_url=redis.url, result_backend=redis.url, task_always_eager=False)
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _reset_pools(app)


def _reset_pools(app) -> None:
    # kombu keeps pools per broker URL in a global registry; dropping the app's references
    # makes the next publish look up the pool for the URL now configured.
    app._pool = None
    app.amqp._producer_pool = None
