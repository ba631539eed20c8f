"""Health, RFC 9457 problems for the ways a request can go wrong, gzip, and X-Request-Id."""

import gzip
import http.client
import json
import re
import select
import socket
import time
import unittest

import support


class HealthAndErrors(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.c = self.server.client()

    def tearDown(self):
        self.c.close()
        super().tearDown()

    # -- health --------------------------------------------------------------------------
    def test_health_reports_version_engine_and_migration(self):
        st, h, body = self.c.get("/api/v1/health")
        self.assertEqual(st, 200, body)
        self.assertEqual(h.get("Content-Type").split(";")[0], "application/json")
        self.assertEqual(body["status"], "ok")
        version = support.cli("version").stdout.strip()  # "gotong 0.1.0"
        self.assertEqual("gotong " + body["version"], version)
        self.assertEqual(body["database"]["engine"], support.ENGINE)
        # 0001 accounts, 0002 areas, 3 the regions list: at least 3, and what `gotong migrate`
        # reports for the same database.
        self.assertIsInstance(body["database"]["migration"], int)
        self.assertGreaterEqual(body["database"]["migration"], 3)
        out = support.cli("migrate", "--database", support.db_url(self.server.db_path)).stdout
        m = re.search(r"at migration (\d+)", out)
        self.assertIsNotNone(m, out)
        self.assertEqual(body["database"]["migration"], int(m.group(1)))

    def test_head_on_health(self):
        status, h, data = self.c.raw("HEAD", "/api/v1/health")
        self.assertEqual(status, 200)
        self.assertEqual(data, b"")

    # -- problems ------------------------------------------------------------------------
    def test_unknown_route_is_a_404_problem(self):
        resp = self.c.get("/api/v1/no/such/thing")
        body = self.assertProblem(resp, 404)
        self.assertTrue(body["type"].startswith("https://"), body)
        self.assertTrue(body["title"])
        self.assertIn("/api/v1/no/such/thing", body["detail"])
        self.assertTrue(body["request_id"])
        self.assertEqual(body["request_id"], resp[1].get("X-Request-Id"))

    def test_unknown_route_outside_the_api_is_not_200(self):
        st, _, _ = self.c.get("/api/v2/health")
        self.assertEqual(st, 404)

    def test_wrong_method_is_405_with_allow(self):
        resp = self.c.delete("/api/v1/health")
        self.assertProblem(resp, 405)
        allow = {m.strip() for m in (resp[1].get("Allow") or "").split(",")}
        self.assertIn("GET", allow)
        self.assertNotIn("DELETE", allow)

    def test_wrong_method_on_a_parameterised_route(self):
        resp = self.c.request("PUT", "/api/v1/auth/login", {"email": "x@y.z", "password": "12345678"})
        self.assertProblem(resp, 405)
        self.assertEqual((resp[1].get("Allow") or "").replace(" ", ""), "POST")

    def test_malformed_json_is_400(self):
        for raw in (b'{"email": "admin@demo.gotong.id", "password": ', b"not json", b"[1, 2]"):
            st, h, data = self.c.raw("POST", "/api/v1/auth/login", raw, {"Content-Type": "application/json"})
            body = support.decode_body(h, data)
            self.assertProblem((st, h, body), 400, "body %r: %s %r" % (raw, st, body))

    def test_non_json_content_type_is_415(self):
        raw = json.dumps({"email": support.ADMIN, "password": support.DEMO_PASSWORD}).encode()
        for ct in ("text/plain", "application/x-www-form-urlencoded", None):
            st, h, data = self.c.raw("POST", "/api/v1/auth/login", raw, {"Content-Type": ct})
            self.assertProblem((st, h, support.decode_body(h, data)), 415, "Content-Type %r" % ct)

    def test_json_with_charset_is_accepted(self):
        raw = json.dumps({"email": support.ADMIN, "password": "wrong-password-1"}).encode()
        st, h, data = self.c.raw("POST", "/api/v1/auth/login", raw,
                                 {"Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(st, 401, data)

    def test_validation_problem_names_the_field(self):
        resp = self.c.post("/api/v1/auth/login", {"email": support.ADMIN})
        body = self.assertProblem(resp, 422)
        self.assertEqual([e["field"] for e in body.get("errors", [])], ["password"], body)

    def _send_oversized(self, size):
        """POSTs a body of `size` bytes on a raw socket; returns the status line and head.
        Sends the head first and only then the body, so a server that answers from the head
        alone (as it should) is not disturbed by a reset."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            head = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % size).encode()
            s.sendall(head)
            got = b""
            ready, _, _ = select.select([s], [], [], 1.0)
            if not ready:
                chunk = b"{" + b" " * 65535
                sent = 0
                try:
                    while sent < size:
                        n = min(len(chunk), size - sent)
                        s.sendall(chunk[:n])
                        sent += n
                except (BrokenPipeError, ConnectionResetError):
                    pass
            deadline = time.monotonic() + 10
            while b"\r\n\r\n" not in got and time.monotonic() < deadline:
                try:
                    data = s.recv(65536)
                except ConnectionResetError:
                    break
                if not data:
                    break
                got += data
            return got
        finally:
            s.close()

    def test_oversized_body_is_413(self):
        got = self._send_oversized((1 << 20) + 100_000)
        self.assertTrue(got.startswith(b"HTTP/1.1 413"), got[:300])
        # The server still serves after refusing it.
        st, _, _ = self.c.get("/api/v1/health")
        self.assertEqual(st, 200)

    def test_oversized_chunked_body_is_413(self):
        def pieces():
            yield b"{"
            for _ in range(18):
                yield b" " * 65536

        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            try:
                conn.request("POST", "/api/v1/auth/login", body=pieces(), encode_chunked=True,
                             headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
            except (BrokenPipeError, ConnectionResetError):
                pass
            r = conn.getresponse()
            self.assertEqual(r.status, 413)
            self.assertEqual(json.loads(r.read())["status"], 413)
        finally:
            conn.close()

    def test_small_chunked_body_is_read(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request("POST", "/api/v1/auth/login", encode_chunked=True,
                         body=iter([b'{"email": "nobody@example.org", ', b'"password": "wrong-password-3"}']),
                         headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
            r = conn.getresponse()
            self.assertEqual(r.status, 401, r.read())
        finally:
            conn.close()

    def test_body_just_under_the_limit_is_read(self):
        # 1 MiB of JSON whitespace around a valid object: not 413; the login itself fails (401).
        obj = json.dumps({"email": "nobody@example.org", "password": "wrong-password-2"}).encode()
        raw = obj + b" " * ((1 << 20) - len(obj) - 10)
        st, h, data = self.c.raw("POST", "/api/v1/auth/login", raw, {"Content-Type": "application/json"})
        self.assertEqual(st, 401, data[:300])

    # -- gzip ----------------------------------------------------------------------------
    def test_gzip_on_a_large_response(self):
        st, h, plain = self.c.raw("GET", "/api/v1/openapi.json")
        self.assertEqual(st, 200)
        self.assertIsNone(h.get("Content-Encoding"), "gzip without Accept-Encoding")
        doc = json.loads(plain)
        self.assertTrue(str(doc.get("openapi", "")).startswith("3."), "not an OpenAPI document")
        self.assertGreater(len(plain), 4096)

        st, h, packed = self.c.raw("GET", "/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(st, 200)
        self.assertEqual(h.get("Content-Encoding"), "gzip")
        self.assertLess(len(packed), len(plain) // 2)
        self.assertEqual(int(h.get("Content-Length", len(packed))), len(packed))
        self.assertEqual(gzip.decompress(packed), plain)
        vary = (h.get("Vary") or "").lower()
        self.assertIn("accept-encoding", vary, "a gzip-or-not response needs Vary: Accept-Encoding")

    def test_gzip_refused_with_q0(self):
        st, h, _ = self.c.raw("GET", "/api/v1/openapi.json", headers={"Accept-Encoding": "gzip;q=0"})
        self.assertEqual(st, 200)
        self.assertIsNone(h.get("Content-Encoding"))

    def test_small_response_not_compressed(self):
        st, h, data = self.c.raw("GET", "/api/v1/health", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(st, 200)
        self.assertIsNone(h.get("Content-Encoding"))
        self.assertEqual(json.loads(data)["status"], "ok")

    # -- request ids ---------------------------------------------------------------------
    def test_request_id_generated(self):
        ids = set()
        for _ in range(3):
            st, h, _ = self.c.get("/api/v1/health")
            self.assertEqual(st, 200)
            rid = h.get("X-Request-Id")
            self.assertTrue(rid, "no X-Request-Id")
            ids.add(rid)
        self.assertEqual(len(ids), 3, "request ids repeat: %r" % ids)

    def test_request_id_echoed(self):
        st, h, _ = self.c.get("/api/v1/health", headers={"X-Request-Id": "test-abc-123"})
        self.assertEqual(h.get("X-Request-Id"), "test-abc-123")
        resp = self.c.get("/api/v1/nothing-here", headers={"X-Request-Id": "test-def-456"})
        body = self.assertProblem(resp, 404)
        self.assertEqual(resp[1].get("X-Request-Id"), "test-def-456")
        self.assertEqual(body["request_id"], "test-def-456")

    def test_insane_request_id_replaced(self):
        bad = "x" * 500
        st, h, _ = self.c.get("/api/v1/health", headers={"X-Request-Id": bad})
        self.assertEqual(st, 200)
        rid = h.get("X-Request-Id")
        self.assertTrue(rid)
        self.assertNotEqual(rid, bad)
        self.assertLess(len(rid), 200)

    def test_problem_responses_are_not_cached(self):
        st, h, _ = self.c.get("/api/v1/no/such/thing")
        self.assertEqual(st, 404)
        self.assertIn("no-store", h.get("Cache-Control") or "")


if __name__ == "__main__":
    unittest.main()
