"""Shared machinery of the API tests: the real `gotong` binary on a free port with a fresh SQLite
database, and a small HTTP client (cookie jar, CSRF header, JSON in and out).

Only the Python standard library. The binary is $GOTONG_BIN (default build/release/gotong,
relative to the repository root).

Migrating a fresh database imports the 91,599 official regions (a second or two), so one
migrated database with the demo workspace is made once per process (`template_db()`) and each
server gets its own copy of the file (`fresh_db()`).
"""

import atexit
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("GOTONG_BIN") or os.path.join(REPO, "build", "release", "gotong"))

DEMO_ORG = "demo"
DEMO_PASSWORD = "gotong-demo"
DEMO_USERS = {
    "admin": "admin@demo.gotong.id",
    "coordinator": "koordinator@demo.gotong.id",
    "field_officer": "petugas@demo.gotong.id",
    "partner": "mitra@demo.gotong.id",
    "viewer": "pemantau@demo.gotong.id",
}
ADMIN = DEMO_USERS["admin"]
COORDINATOR = DEMO_USERS["coordinator"]
FIELD_OFFICER = DEMO_USERS["field_officer"]
VIEWER = DEMO_USERS["viewer"]

# Desa Bosen, Kec. Mollo Utara, Kab. Timor Tengah Selatan (the demo village) and its district.
BOSEN_CODE = "53.02.03.2003"
MOLLO_UTARA_CODE = "53.02.03"

_root_tmp = None
_template = None
_lock = threading.RLock()
_started = []  # every Server started by this process, killed at exit if still running


def _kill_leftovers():
    for s in _started:
        try:
            s.kill()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


atexit.register(_kill_leftovers)


def _cleanup(path):
    _kill_leftovers()
    shutil.rmtree(path, True)


def root_tmp():
    """A temporary directory for the whole test process, removed at exit."""
    global _root_tmp
    with _lock:
        if _root_tmp is None:
            _root_tmp = tempfile.mkdtemp(prefix="gotong-api-")
            atexit.register(_cleanup, _root_tmp)  # runs before _kill_leftovers: kills first
        return _root_tmp


def new_dir(prefix="t"):
    return tempfile.mkdtemp(prefix=prefix + "-", dir=root_tmp())


def require_binary():
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        # A failure, not a skip: a suite that cannot find the server must not look green.
        raise RuntimeError("no gotong binary at %s: build it or set GOTONG_BIN" % BIN)


def cli(*args, stdin=None, check=True, timeout=60):
    """Runs `gotong ARGS...`; returns the CompletedProcess (text). Raises on a non-zero exit
    when `check`, with both output streams in the message."""
    require_binary()
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("gotong %s exited %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def db_url(path):
    return "sqlite:" + path


def template_db():
    """The path of a migrated database with the demo workspace, made once per process.
    Do not serve it: copy it with fresh_db()."""
    global _template
    with _lock:
        if _template is None:
            require_binary()
            d = tempfile.mkdtemp(prefix="template-", dir=root_tmp())
            path = os.path.join(d, "g.db")
            cli("demo", "load", "--database", db_url(path), timeout=120)
            _template = path
        return _template


def copy_db(src, dst_dir=None):
    """Copies a SQLite database (with its WAL, if any) into a new directory; returns the path."""
    d = dst_dir or new_dir("db")
    dst = os.path.join(d, "g.db")
    shutil.copyfile(src, dst)
    if os.path.exists(src + "-wal"):
        shutil.copyfile(src + "-wal", dst + "-wal")
    return dst


def fresh_db():
    """A new copy of the template database (migrated, demo loaded)."""
    return copy_db(template_db())


def add_user(db_path, org, email, role, password, name=None):
    args = ["user", "add", "--database", db_url(db_path), "--org", org, "--email", email,
            "--role", role, "--password-stdin"]
    if name:
        args += ["--name", name]
    return cli(*args, stdin=password + "\n")


def add_org(db_path, slug, name):
    return cli("org", "add", "--database", db_url(db_path), "--slug", slug, "--name", name)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(Exception):
    pass


class Server:
    """A `gotong serve` process on 127.0.0.1 and a free port, serving `db_path`."""

    def __init__(self, db_path=None, extra_args=(), quiet=True):
        self.db_path = db_path or fresh_db()
        self.extra_args = list(extra_args)
        self.quiet = quiet
        self.proc = None
        self.port = None
        self.stderr_path = None
        self._stderr = None

    # -- life cycle --------------------------------------------------------------------
    def start(self, port=None, timeout=20.0):
        require_binary()
        attempts = 1 if port else 3
        last = None
        for _ in range(attempts):
            try:
                self._spawn(port or free_port(), timeout)
                return self
            except ServerError as e:  # most likely the port was taken meanwhile: try another
                last = e
        raise last

    def _spawn(self, port, timeout):
        self.port = port
        d = os.path.dirname(self.db_path)
        n = 0
        while True:
            self.stderr_path = os.path.join(d, "server-%d-%d.stderr" % (port, n))
            if not os.path.exists(self.stderr_path):
                break
            n += 1
        self._stderr = open(self.stderr_path, "wb")
        args = [BIN, "serve", "--listen", "127.0.0.1:%d" % port, "--database", db_url(self.db_path)]
        if self.quiet:
            args.append("--quiet")
        args += self.extra_args
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self._stderr)
        with _lock:
            _started.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._stderr.close()
                raise ServerError("gotong serve exited with %s before answering\n%s"
                                  % (self.proc.returncode, self.stderr_text()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/v1/health")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.02)
        self.kill()
        raise ServerError("gotong serve did not answer /api/v1/health within %.0f s\n%s"
                          % (timeout, self.stderr_text()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15.0):
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise ServerError("gotong serve did not stop within %.0f s of SIGTERM\n%s"
                                  % (timeout, self.stderr_text()))
        self._close_stderr()
        return self.proc.returncode

    def kill(self):
        """SIGKILL (kill -9) and wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_stderr()

    def _close_stderr(self):
        if self._stderr and not self._stderr.closed:
            self._stderr.close()

    def stderr_text(self, limit=6000):
        try:
            with open(self.stderr_path, "rb") as f:
                data = f.read()
        except (OSError, TypeError):
            return "(no stderr)"
        text = data.decode("utf-8", "replace")
        if len(text) > limit:
            text = "...\n" + text[-limit:]
        return "--- server stderr (%s) ---\n%s" % (self.stderr_path, text)

    # -- clients -----------------------------------------------------------------------
    def client(self, **kw):
        return Client(self, **kw)

    def login(self, email, password=DEMO_PASSWORD, **kw):
        """A client signed in as `email`; fails the test when the login does not succeed."""
        c = Client(self, **kw)
        status, _, body = c.login(email, password)
        if status != 200:
            raise AssertionError("login as %s: %s %s" % (email, status, body))
        return c


class Client:
    """An HTTP/1.1 client for one server: keep-alive connection, cookie jar, CSRF header on
    unsafe methods once known, optional bearer token. Requests return (status, headers, body):
    headers is an http.client.HTTPMessage (case-insensitive .get), body is the decoded JSON for
    JSON responses, else bytes (None when empty)."""

    def __init__(self, server, token=None, csrf=True, source_address=None, timeout=30):
        self.server = server
        self.port = server.port if isinstance(server, Server) else int(server)
        self.cookies = {}
        self.csrf_token = None
        self.send_csrf = csrf
        self.token = token
        self.source_address = source_address
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connect(self):
        self.close()
        src = (self.source_address, 0) if self.source_address else None
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                               source_address=src)

    def cookie_header(self):
        return "; ".join("%s=%s" % kv for kv in self.cookies.items())

    def raw(self, method, path, body=None, headers=None):
        """Sends bytes as they are; returns (status, headers, raw body bytes). Retries once on a
        fresh connection when a kept-alive connection turns out to be closed."""
        h = {}
        if self.cookies:
            h["Cookie"] = self.cookie_header()
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.send_csrf and self.csrf_token and method not in ("GET", "HEAD", "OPTIONS"):
            h["X-CSRF-Token"] = self.csrf_token
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if reused and attempt == 0:
                    continue
                raise
            if r.getheader("Connection", "").lower() == "close" or r.will_close:
                self.close()
            self._store_cookies(r.headers)
            return r.status, r.headers, data

    def _store_cookies(self, headers):
        for sc in headers.get_all("Set-Cookie") or []:
            first = sc.split(";", 1)[0]
            if "=" not in first:
                continue
            name, value = first.split("=", 1)
            attrs = sc.lower()
            if value == "" or "max-age=0" in attrs:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()

    def request(self, method, path, body=None, headers=None):
        """A JSON request: `body` (any JSON value) is serialised with Content-Type
        application/json; returns (status, headers, decoded body)."""
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        status, rh, raw = self.raw(method, path, data, h)
        return status, rh, decode_body(rh, raw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, email, password=DEMO_PASSWORD):
        status, h, body = self.post("/api/v1/auth/login", {"email": email, "password": password})
        if status == 200 and isinstance(body, dict):
            self.csrf_token = body.get("csrf_token")
        return status, h, body


def decode_body(headers, raw):
    if not raw:
        return None
    ct = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ct in ("application/json", "application/problem+json") and headers.get("Content-Encoding") is None:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


class ServerTestCase(unittest.TestCase):
    """A test case whose failures show the stderr of the servers it lists in `servers()`."""

    def servers(self):
        s = getattr(type(self), "server", None)
        return [s] if s is not None else []

    def _failed_so_far(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if result is None:
            return False
        bad = list(getattr(result, "errors", [])) + list(getattr(result, "failures", []))
        # Sub-test failures are recorded under a _SubTest whose test_case is this test.
        return any(t is self or getattr(t, "test_case", None) is self for t, _ in bad)

    def tearDown(self):
        if self._failed_so_far():
            for s in self.servers():
                if s is not None:
                    sys.stderr.write("\n" + s.stderr_text() + "\n")
        super().tearDown()

    def assertProblem(self, resp, status, msg=None):
        """Asserts an RFC 9457 problem response with `status`; returns its body."""
        st, h, body = resp
        self.assertEqual(st, status, msg or body)
        self.assertEqual((h.get("Content-Type") or "").split(";")[0].strip(), "application/problem+json",
                         "problem Content-Type")
        self.assertIsInstance(body, dict)
        for k in ("type", "title", "status", "detail", "request_id"):
            self.assertIn(k, body, "problem member %r missing: %r" % (k, body))
        self.assertEqual(body["status"], status)
        return body


def in_threads(n, fn):
    """Runs fn(i) for i in range(n) in n threads; returns the results (exceptions re-raised)."""
    results = [None] * n
    errors = []

    def run(i):
        try:
            results[i] = fn(i)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def area_by_code(client, code, org=DEMO_ORG):
    """Finds an official area by its Kemendagri code through the API, walking down from the
    provinces (one request per level)."""
    parts = code.split(".")
    parent = None
    area = None
    for depth in range(1, len(parts) + 1):
        want = ".".join(parts[:depth])
        path = "/api/v1/orgs/%s/areas" % org + ("?parent=%s" % parent if parent else "")
        st, _, body = client.get(path)
        if st != 200:
            raise AssertionError("GET %s: %s %s" % (path, st, body))
        area = next((a for a in body["items"] if a.get("code") == want), None)
        if area is None:
            raise AssertionError("no area %s among the children of %s" % (want, parent))
        parent = area["id"]
    return area
