"""Shared machinery of the API tests: the real `gotong` binary on a free port with a fresh
database, and a small HTTP client (cookie jar, CSRF header, JSON in and out).

Only the Python standard library. The binary is $GOTONG_BIN (default build/release/gotong,
relative to the repository root).

The engine is $GOTONG_TEST_ENGINE: `sqlite` (default) or `postgresql`.

Migrating a fresh database imports the 91,599 official regions (a second or two on SQLite, about
ten on PostgreSQL), so one migrated database with the demo workspace is made once
(`template_db()`) and each server gets its own copy (`fresh_db()`): a copy of the file on SQLite,
`CREATE DATABASE ... TEMPLATE` on PostgreSQL. A database is named by a "db handle": the file path
on SQLite, the URL on PostgreSQL; `db_url(handle)` gives the `--database` URL either way.

PostgreSQL: with $GOTONG_TEST_PG_CLUSTER (a JSON file written by `pg_fixture.py start`, see
tests.cmake) the tests use that shared cluster and its template database; without it the process
starts its own throwaway cluster (scripts/pg_cluster.sh) and stops it at exit.
"""

import atexit
import glob
import http.client
import itertools
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

ENGINE = os.environ.get("GOTONG_TEST_ENGINE") or "sqlite"
if ENGINE not in ("sqlite", "postgresql"):
    raise RuntimeError("GOTONG_TEST_ENGINE=%s: use sqlite or postgresql" % ENGINE)
POSTGRES = ENGINE == "postgresql"
SQLITE_ONLY = "the test needs a SQLite database file"  # reason for unittest.skipIf(support.POSTGRES, ...)
PG_CLUSTER_SCRIPT = os.path.join(REPO, "scripts", "pg_cluster.sh")
PG_TEMPLATE = "gotong_template"

_root_tmp = None
_template = None
_cluster = None  # {"dir": ..., "url": ..., "template": ...} on PostgreSQL
_pg_dbs = itertools.count()
_lock = threading.RLock()
_started = []  # every Server started by this process, killed at exit if still running


def _kill_leftovers():
    for s in _started:
        try:
            s.kill()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


atexit.register(_kill_leftovers)


def _exit_on_sigterm(signum, frame):
    # Stop the run (unittest records other exceptions and goes on) and let the atexit clean-up
    # (servers, PostgreSQL cluster) run.
    raise KeyboardInterrupt("SIGTERM")


if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


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


def db_url(db):
    """The --database URL of a db handle (a SQLite path, or already a PostgreSQL URL)."""
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return db
    return "sqlite:" + db


# -- PostgreSQL ---------------------------------------------------------------------------
def pg_bindir():
    if os.environ.get("PG_BINDIR"):
        return os.environ["PG_BINDIR"]
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]), reverse=True)
    for d in dirs:
        if os.access(os.path.join(d, "psql"), os.X_OK):
            return d
    return os.path.dirname(shutil.which("psql") or "/usr/bin/psql")


def pg_script(*args, timeout=120):
    p = subprocess.run([PG_CLUSTER_SCRIPT, *args], capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("pg_cluster.sh %s exited %d\n%s%s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p.stdout.strip()


def pg_start_cluster():
    """Starts a throwaway cluster with a migrated template database holding the demo workspace;
    returns {"dir", "url", "template"}. The caller stops it with pg_stop_cluster()."""
    require_binary()
    # Not under root_tmp(): the server runs as `postgres` and cannot enter root's 0700 directory,
    # and the socket path must stay short.
    d = tempfile.mkdtemp(prefix="gotong-pg-")
    try:
        url = pg_script("start", d)
        info = {"dir": d, "url": url}
        tpl = pg_script("createdb", d, PG_TEMPLATE)
        cli("demo", "load", "--database", tpl, timeout=300)
        # Nothing may stay connected to a template while it is copied: `gotong` has exited.
        info["template"] = tpl
        return info
    except BaseException:
        pg_stop_cluster(d)
        raise


def pg_stop_cluster(d):
    if os.path.exists(os.path.join(d, "port")):
        subprocess.run([PG_CLUSTER_SCRIPT, "stop", d], capture_output=True, timeout=120)
    shutil.rmtree(d, True)


def _pg_drop_own():
    """At exit, in a shared cluster: drops this process's databases (best effort)."""
    c = _cluster
    if c is None or not c.get("shared"):
        return
    _kill_leftovers()  # atexit runs this before the earlier registered _kill_leftovers
    names = ["t_%d_%d" % (os.getpid(), i) for i in range(c.get("made", 0))]
    if not names:
        return
    # One -c per statement: DROP DATABASE cannot run inside the transaction of a multi-statement -c.
    args = []
    for n in names:
        args += ["-c", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % n]
    try:
        subprocess.run([os.path.join(pg_bindir(), "psql"), "-X", "-q", "-d", c["url"], *args],
                       capture_output=True, timeout=120)
    except Exception:  # noqa: BLE001 - best effort at exit; the cluster goes away anyway
        pass


def pg_cluster():
    """This process's PostgreSQL cluster: the shared one of $GOTONG_TEST_PG_CLUSTER, else one
    started now and stopped at exit."""
    global _cluster
    with _lock:
        if _cluster is None:
            shared = os.environ.get("GOTONG_TEST_PG_CLUSTER")
            if shared:
                try:
                    with open(shared) as f:
                        info = json.load(f)
                except OSError as e:
                    raise RuntimeError("GOTONG_TEST_PG_CLUSTER=%s: %s (did the fixture `pg_fixture.py start` run?)"
                                       % (shared, e))
                info["shared"] = True
                _cluster = info
                atexit.register(_pg_drop_own)
            else:
                info = pg_start_cluster()
                _cluster = info

                def stop(d=info["dir"]):
                    _kill_leftovers()  # the servers first (atexit runs this before _kill_leftovers)
                    pg_stop_cluster(d)
                atexit.register(stop)
        return _cluster


def psql(url, sql, timeout=60):
    """Runs SQL with psql against a PostgreSQL URL; returns stdout (unaligned, tuples only)."""
    p = subprocess.run([os.path.join(pg_bindir(), "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-d", url, "-c", sql], capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise AssertionError("psql %r: exit %d\n%s" % (sql, p.returncode, p.stderr))
    return p.stdout


def pg_new_db(template=None):
    """A new database in the cluster (a copy of `template` when given); returns its URL."""
    c = pg_cluster()
    with _lock:
        n = next(_pg_dbs)
        c["made"] = n + 1
    return pg_script("createdb", c["dir"], "t_%d_%d" % (os.getpid(), n), *([template] if template else []))


def empty_db():
    """A handle of a new, empty (not migrated) database."""
    if POSTGRES:
        return pg_new_db()
    return os.path.join(new_dir("db"), "g.db")


def sql_scalars(db, query):
    """Runs one SELECT against a db handle (with no server on it for SQLite's sake, ideally);
    returns the first row as a tuple of strings."""
    if POSTGRES:
        out = psql(db_url(db), query)
        return tuple(out.splitlines()[0].split("|")) if out.strip() else None
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        row = con.execute(query).fetchone()
        return None if row is None else tuple(str(v) for v in row)
    finally:
        con.close()


def sql_exec(db, statement):
    """Runs one writing statement against a db handle, also while a server has it open (SQLite
    waits for the server's writer); for tests that damage stored data on purpose."""
    if POSTGRES:
        psql(db_url(db), statement)
        return
    import sqlite3
    con = sqlite3.connect(db, timeout=30)
    try:
        con.execute(statement)
        con.commit()
    finally:
        con.close()


def template_db():
    """The handle of a migrated database with the demo workspace, made once per process (once
    per cluster on PostgreSQL). Do not serve it: copy it with fresh_db()."""
    global _template
    with _lock:
        if _template is None:
            require_binary()
            if POSTGRES:
                _template = pg_cluster()["template"]
            else:
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
    """A new copy of the template database (migrated, demo loaded): a db handle."""
    if POSTGRES:
        template_db()
        return pg_new_db(PG_TEMPLATE)
    return copy_db(template_db())


def add_user(db_path, org, email, role, password, name=None):
    args = ["user", "add", "--database", db_url(db_path), "--org", org, "--email", email,
            "--role", role, "--password-stdin"]
    if name:
        args += ["--name", name]
    return cli(*args, stdin=password + "\n")


def add_org(db_path, slug, name):
    return cli("org", "add", "--database", db_url(db_path), "--slug", slug, "--name", name)


def start_with_every_role(cls, other_admin, other_password):
    """Starts `cls.server` on a fresh demo database with a second organisation ("other", whose
    admin is `other_admin`) and signs in one client per demo role (cls.admin, coord, officer,
    viewer, partner) plus cls.other: the cast of the isolation and role tests. Returns the db."""
    db = fresh_db()
    add_org(db, "other", "Organisasi Lain")
    add_user(db, "other", other_admin, "admin", other_password, name="Admin Lain")
    cls.server = Server(db).start()
    cls.admin = cls.server.login(ADMIN)
    cls.coord = cls.server.login(COORDINATOR)
    cls.officer = cls.server.login(FIELD_OFFICER)
    cls.viewer = cls.server.login(VIEWER)
    cls.partner = cls.server.login(DEMO_USERS["partner"])
    cls.other = cls.server.login(other_admin, other_password)
    return db


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(Exception):
    pass


class Server:
    """A `gotong serve` process on 127.0.0.1 and a free port, serving the db handle `db_path`."""

    def __init__(self, db_path=None, extra_args=(), quiet=True):
        self.db_path = db_path or fresh_db()
        self.extra_args = list(extra_args)
        self.quiet = quiet
        self.proc = None
        self.port = None
        self.stderr_path = None
        self._stderr = None
        self.dir = new_dir("srv") if POSTGRES else os.path.dirname(self.db_path)

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
        d = self.dir
        n = 0
        while True:
            self.stderr_path = os.path.join(d, "server-%d-%d.stderr" % (port, n))
            if not os.path.exists(self.stderr_path):
                break
            n += 1
        self._stderr = open(self.stderr_path, "wb")
        args = [BIN, "serve", "--listen", "127.0.0.1:%d" % port, "--database", db_url(self.db_path),
                "--attachments", os.path.join(d, "attachments")]
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
