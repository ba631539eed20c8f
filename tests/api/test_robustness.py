"""The server under misbehaving clients and sudden ends: header timeout (slowloris), keep-alive,
graceful SIGTERM, and durability of acknowledged writes across kill -9."""

import http.client
import json
import select
import socket
import sys
import threading
import time
import unittest

import support


def read_until_closed(sock, limit):
    """Reads until the peer closes or `limit` seconds pass. Returns (closed, seconds, data)."""
    t0 = time.monotonic()
    data = b""
    while True:
        left = limit - (time.monotonic() - t0)
        if left <= 0:
            return False, time.monotonic() - t0, data
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False, time.monotonic() - t0, data
        except ConnectionResetError:
            return True, time.monotonic() - t0, data
        if not chunk:
            return True, time.monotonic() - t0, data
        data += chunk


def split_responses(data):
    """Splits a byte stream of HTTP/1.1 responses with Content-Length bodies into
    [(status, {lower-case header: value}, body)]."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise AssertionError("incomplete response head: %r" % data[:200])
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        out.append((status, headers, rest[:n]))
        data = rest[n:]
    return out


class Timeouts(support.ServerTestCase):
    """A server with short header (500 ms) and idle (1500 ms) timeouts."""

    @classmethod
    def setUpClass(cls):
        cls.server = support.Server(extra_args=["--header-timeout-ms", "500", "--idle-timeout-ms", "1500"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        self.addCleanup(s.close)
        return s

    def test_half_request_head_is_cut_off(self):
        s = self.connect()
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: never ends
        t0 = time.monotonic()
        # Meanwhile others are served normally.
        c = self.server.client()
        for _ in range(5):
            st, _, body = c.get("/api/v1/health")
            self.assertEqual(st, 200, body)
        closed, _, data = read_until_closed(s, 3.0 - (time.monotonic() - t0))
        elapsed = time.monotonic() - t0
        self.assertTrue(closed, "the server kept a half request head open for %.1f s" % elapsed)
        self.assertGreaterEqual(elapsed, 0.3, "closed before the header timeout (%.2f s)" % elapsed)
        self.assertFalse(data.startswith(b"HTTP/1.1 200"), data[:200])

    def test_slowloris_trickle_is_cut_off(self):
        # One byte every 100 ms keeps a naive per-read timeout happy; the whole head must arrive
        # within the header timeout.
        s = self.connect()
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ")
        t0 = time.monotonic()
        closed = False
        while time.monotonic() - t0 < 3.0:
            try:
                s.sendall(b"a")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            s.settimeout(0.1)
            try:
                if s.recv(4096) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            except ConnectionResetError:
                closed = True
                break
        elapsed = time.monotonic() - t0
        self.assertTrue(closed, "a trickling client held the connection for %.1f s" % elapsed)
        self.assertLess(elapsed, 3.0)
        self.assertEqual(self.server.client().get("/api/v1/health")[0], 200)

    def test_many_stalled_connections_do_not_block_others(self):
        socks = []
        for _ in range(50):
            s = self.connect()
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\n")
            socks.append(s)
        c = self.server.client()
        t0 = time.monotonic()
        st, _, _ = c.get("/api/v1/health")
        self.assertEqual(st, 200)
        self.assertLess(time.monotonic() - t0, 2.0, "50 stalled connections slowed everyone down")
        t0 = time.monotonic()
        for s in socks:
            closed, _, _ = read_until_closed(s, max(0.1, 4.0 - (time.monotonic() - t0)))
            self.assertTrue(closed)

    def test_keep_alive_two_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
        self.addCleanup(conn.close)
        conn.request("GET", "/api/v1/health")
        r1 = conn.getresponse()
        self.assertEqual(r1.status, 200)
        json.loads(r1.read())
        self.assertFalse(r1.will_close, "the server asked to close after the first request")
        sock = conn.sock
        self.assertIsNotNone(sock)
        conn.request("GET", "/api/v1/openapi.json")
        r2 = conn.getresponse()
        self.assertEqual(r2.status, 200)
        r2.read()
        self.assertIs(conn.sock, sock, "the second request needed a new connection")

    def test_pipelined_requests_answered_in_order(self):
        s = self.connect()
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-1\r\n\r\n"
                  b"GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-2\r\n\r\n"
                  b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-3\r\nConnection: close\r\n\r\n")
        closed, _, data = read_until_closed(s, 5.0)
        self.assertTrue(closed, "Connection: close was not honoured")
        responses = split_responses(data)
        self.assertEqual([r[0] for r in responses], [200, 404, 200], data[:800])
        self.assertEqual([r[1].get("x-request-id") for r in responses], ["pipe-1", "pipe-2", "pipe-3"])
        self.assertEqual(json.loads(responses[1][2])["status"], 404)

    def test_idle_keep_alive_connection_is_closed(self):
        s = self.connect()
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        first = s.recv(65536)
        self.assertTrue(first.startswith(b"HTTP/1.1 200"), first[:200])
        # Read the rest of the response, then stay idle.
        closed, secs, _ = read_until_closed(s, 5.0)
        self.assertTrue(closed, "an idle keep-alive connection stayed open %.1f s" % secs)
        self.assertGreaterEqual(secs, 1.0, "closed after %.2f s, before the idle timeout" % secs)

    def test_garbage_request_gets_400_or_close(self):
        s = self.connect()
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n")
        closed, _, data = read_until_closed(s, 3.0)
        self.assertTrue(closed)
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 400"), data[:200])
        self.assertEqual(self.server.client().get("/api/v1/health")[0], 200)

    def test_content_length_with_transfer_encoding_is_refused(self):
        # Both framings at once is the request-smuggling shape: refuse, never read a second request
        # out of the body.
        s = self.connect()
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                  b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        closed, _, data = read_until_closed(s, 3.0)
        self.assertTrue(closed)
        statuses = [r[0] for r in split_responses(data)]
        self.assertEqual(statuses, [400], data[:400])

    def test_header_too_large(self):
        s = self.connect()
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
        closed, _, data = read_until_closed(s, 3.0)
        self.assertTrue(closed)
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 431") or data.startswith(b"HTTP/1.1 400"),
                        data[:200])


class Shutdown(support.ServerTestCase):
    def servers(self):
        return [getattr(self, "srv", None)]

    def test_sigterm_answers_in_flight_requests_and_exits_0(self):
        self.srv = srv = support.Server().start()
        self.addCleanup(srv.kill)
        # An idle keep-alive connection must not hold up the shutdown.
        idle = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        self.addCleanup(idle.close)
        idle.request("GET", "/api/v1/health")
        idle.getresponse().read()

        # Sign-ins are slow on purpose (argon2id): a few of them are in flight for a while.
        n = 8
        socks = []
        body = json.dumps({"email": support.ADMIN, "password": support.DEMO_PASSWORD}).encode()
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=15)
            self.addCleanup(s.close)
            s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"X-Request-Id: inflight-%d\r\nContent-Length: %d\r\n\r\n" % (i, len(body)) + body)
            socks.append(s)
        time.sleep(0.1)
        t0 = time.monotonic()
        srv.proc.send_signal(15)
        answered_early, _, _ = select.select(socks, [], [], 0)
        unanswered = n - len(answered_early)
        answers = []
        for s in socks:
            _, _, data = read_until_closed(s, 15.0)
            answers.append(data)
        for i, data in enumerate(answers):
            self.assertTrue(data.startswith(b"HTTP/1.1 200"), "in-flight request %d got %r" % (i, data[:300]))
            self.assertIn(b"csrf_token", data)
        self.assertGreater(unanswered, 0, "every request was answered before SIGTERM: nothing was in flight")
        rc = srv.proc.wait(15)
        self.assertEqual(rc, 0, srv.stderr_text())
        self.assertLess(time.monotonic() - t0, 10.0, "shutdown took too long (idle connection kept?)")
        # The idle connection was closed, and nothing listens any more.
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()


class Durability(support.ServerTestCase):
    def servers(self):
        return [getattr(self, "srv", None), getattr(self, "srv2", None)]

    def test_acknowledged_writes_survive_kill_9(self):
        db = support.fresh_db()
        token = support.cli("token", "create", "--user", support.ADMIN, "--database", support.db_url(db)).stdout.strip()
        self.srv = srv = support.Server(db).start()
        self.addCleanup(srv.kill)
        bosen = support.area_by_code(srv.client(token=token), support.BOSEN_CODE)

        total, nthreads, kill_after = 300, 16, 100
        lock = threading.Lock()
        next_i = [0]
        acked = {}  # id -> name
        failed = [0]
        enough = threading.Event()

        def worker(_):
            c = srv.client(token=token, timeout=10)
            while True:
                with lock:
                    i = next_i[0]
                    next_i[0] += 1
                if i >= total:
                    return
                name = "Beban %03d" % i
                try:
                    st, _, body = c.post("/api/v1/orgs/demo/areas",
                                         {"parent_id": bosen["id"], "name": name, "kind": "rt"})
                except (OSError, http.client.HTTPException):
                    with lock:
                        failed[0] += 1
                    c.close()
                    continue
                if 200 <= st < 300:
                    with lock:
                        acked[body["id"]] = name
                        if len(acked) >= kill_after:
                            enough.set()
                else:
                    with lock:
                        failed[0] += 1

        def killer():
            enough.wait(60)
            srv.kill()

        k = threading.Thread(target=killer)
        k.start()
        support.in_threads(nthreads, worker)
        k.join()
        self.assertFalse(srv.alive())
        sys.stderr.write("\n  kill -9 burst: %d acknowledged, %d failed or unanswered of %d\n"
                         % (len(acked), failed[0], total))
        self.assertGreaterEqual(len(acked), kill_after)
        self.assertLess(len(acked), total, "the burst finished before the kill: nothing was tested")

        self.srv2 = srv2 = support.Server(db).start()
        self.addCleanup(srv2.kill)
        c = srv2.client(token=token)
        missing = []
        for aid, name in sorted(acked.items()):
            st, _, a = c.get("/api/v1/orgs/demo/areas/%s" % aid)
            if st != 200 or a.get("name") != name:
                missing.append((aid, name, st))
        self.assertEqual(missing, [], "acknowledged but lost after kill -9")
        # Each acknowledged area has its audit entry (same transaction).
        st, _, log = c.get("/api/v1/orgs/demo/audit?action=area.create&limit=500")
        logged = {e["object_id"] for e in log["items"]}
        self.assertEqual(set(acked) - logged, set())
        self.assertEqual(srv2.stop(), 0)
        if not support.POSTGRES:  # PostgreSQL has no integrity_check; its WAL replay is its own
            self.assertEqual(support.sql_scalars(db, "PRAGMA integrity_check"), ("ok",))
        n = int(support.sql_scalars(db, "SELECT COUNT(*) FROM areas WHERE name LIKE 'Beban %'")[0])
        self.assertGreaterEqual(n, len(acked))


if __name__ == "__main__":
    unittest.main()
