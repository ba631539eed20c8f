"""The web app served by `gotong serve --web-dir`: index.html for the app's routes, hashed assets
cached for a year, precompressed variants by Accept-Encoding, ETag/304, security headers, and no
way out of the folder. The folder is a small fake build made here, so this test needs no npm."""

import gzip
import os
import socket
import subprocess

import support

INDEX = b'<!doctype html><html><head><script type="module" src="/assets/index-3f9a1c.js"></script></head>' \
        b'<body><div id="app"></div></body></html>'
APP_JS = b"console.log('gotong');\n" * 200
SECRET = b"this file is outside the web folder"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def make_dist():
    base = support.new_dir("web")
    dist = os.path.join(base, "dist")
    os.makedirs(os.path.join(dist, "assets"))

    def write(rel, data):
        with open(os.path.join(dist, rel), "wb") as f:
            f.write(data)

    write("index.html", INDEX)
    write("assets/index-3f9a1c.js", APP_JS)
    write("assets/index-3f9a1c.js.gz", gzip.compress(APP_JS))
    # Not real brotli (the standard library has none): enough to see which file was chosen.
    write("assets/index-3f9a1c.js.br", b"BROTLI-VARIANT")
    write("assets/logo-77aa.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    write("assets/engine-1b2c.wasm", b"\0asm\1\0\0\0")
    write("sw.js", b"self.addEventListener('install', () => self.skipWaiting());\n")
    write("manifest.webmanifest", b'{"name":"Gotong"}')
    write(".inputs-sha256", b"stamp")
    with open(os.path.join(base, "secret.txt"), "wb") as f:
        f.write(SECRET)
    os.symlink(os.path.join(base, "secret.txt"), os.path.join(dist, "assets", "leak.js"))
    return dist


def raw_get(port, target, headers=()):
    """Sends the request target byte for byte (no client-side normalisation of dot segments)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        head = "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" % target
        head += "".join("%s: %s\r\n" % h for h in headers)
        s.sendall((head + "\r\n").encode("latin-1"))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    status = int(data.split(b" ", 2)[1])
    return status, data


class StaticFiles(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.dist = make_dist()
        cls.server = support.Server(extra_args=["--web-dir", cls.dist]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.c = self.server.client()

    def tearDown(self):
        self.c.close()
        super().tearDown()

    def get(self, path, **headers):
        return self.c.raw("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def assertSecurityHeaders(self, h):
        csp = h.get("Content-Security-Policy", "")
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("object-src 'none'", csp)
        self.assertNotIn("'unsafe-eval'", csp)
        self.assertEqual(h.get("X-Content-Type-Options"), "nosniff")
        self.assertTrue(h.get("Referrer-Policy"))

    def test_routes_of_the_app_get_index_html_revalidated(self):
        for path in ("/", "/index.html", "/orgs/demo/programs/42", "/login?next=%2Fforms", "/forms/"):
            st, h, body = self.get(path, Accept=HTML)
            self.assertEqual(st, 200, path)
            self.assertEqual(body, INDEX, path)
            self.assertEqual(h.get("Content-Type"), "text/html; charset=utf-8")
            self.assertEqual(h.get("Cache-Control"), "no-cache")
            self.assertTrue(h.get("ETag"))
            self.assertSecurityHeaders(h)

    def test_hashed_assets_are_immutable_with_the_right_types(self):
        st, h, body = self.get("/assets/index-3f9a1c.js")
        self.assertEqual(st, 200)
        self.assertEqual(body, APP_JS)
        self.assertEqual(h.get("Content-Type"), "text/javascript; charset=utf-8")
        self.assertEqual(h.get("Cache-Control"), "public, max-age=31536000, immutable")
        for path, ctype in (("/assets/logo-77aa.svg", "image/svg+xml"),
                            ("/assets/engine-1b2c.wasm", "application/wasm"),
                            ("/manifest.webmanifest", "application/manifest+json")):
            st, h, _ = self.get(path)
            self.assertEqual(st, 200, path)
            self.assertEqual(h.get("Content-Type"), ctype, path)
        st, h, _ = self.get("/sw.js")
        self.assertEqual(h.get("Cache-Control"), "no-cache")  # a new release must reach the browser

    def test_precompressed_variant_by_accept_encoding(self):
        st, h, body = self.get("/assets/index-3f9a1c.js", Accept_Encoding="gzip, deflate")
        self.assertEqual(st, 200)
        self.assertEqual(h.get("Content-Encoding"), "gzip")
        self.assertEqual(h.get("Vary"), "Accept-Encoding")
        self.assertEqual(gzip.decompress(body), APP_JS)
        self.assertLess(len(body), len(APP_JS) / 10)
        st, h, body = self.get("/assets/index-3f9a1c.js", Accept_Encoding="gzip, deflate, br")
        self.assertEqual(h.get("Content-Encoding"), "br")
        self.assertEqual(body, b"BROTLI-VARIANT")
        st, h, body = self.get("/assets/index-3f9a1c.js", Accept_Encoding="br;q=0, gzip")
        self.assertEqual(h.get("Content-Encoding"), "gzip")
        st, h, body = self.get("/assets/index-3f9a1c.js", Accept_Encoding="identity")
        self.assertIsNone(h.get("Content-Encoding"))
        self.assertEqual(body, APP_JS)
        self.assertEqual(h.get("Vary"), "Accept-Encoding")

    def test_etag_gives_304(self):
        st, h, _ = self.get("/assets/index-3f9a1c.js", Accept_Encoding="gzip")
        etag = h.get("ETag")
        st, h2, body = self.get("/assets/index-3f9a1c.js", Accept_Encoding="gzip", If_None_Match=etag)
        self.assertEqual(st, 304)
        self.assertEqual(body, b"")
        self.assertEqual(h2.get("ETag"), etag)
        self.assertEqual(h2.get("Cache-Control"), "public, max-age=31536000, immutable")
        # The plain variant is another representation: the gzip ETag does not validate it.
        st, _, _ = self.get("/assets/index-3f9a1c.js", If_None_Match=etag)
        self.assertEqual(st, 200)
        st, h, _ = self.get("/", Accept=HTML)
        st, _, _ = self.get("/", Accept=HTML, If_None_Match=h.get("ETag"))
        self.assertEqual(st, 304)

    def test_head_has_the_length_but_no_body(self):
        st, h, body = self.c.raw("HEAD", "/assets/index-3f9a1c.js")
        self.assertEqual(st, 200)
        self.assertEqual(body, b"")
        self.assertEqual(int(h.get("Content-Length")), len(APP_JS))

    def test_missing_files_are_404_problems_not_index_html(self):
        for path, accept in (("/assets/index-old.js", "*/*"), ("/assets/gone.css", HTML), ("/favicon.png", "image/*")):
            resp = self.c.request("GET", path, headers={"Accept": accept})
            self.assertProblem(resp, 404, path)

    def test_only_get_and_head(self):
        resp = self.c.request("POST", "/orgs/demo", body={})
        self.assertProblem(resp, 405)
        self.assertEqual(resp[1].get("Allow"), "GET, HEAD")

    def test_no_path_leaves_the_folder(self):
        for target in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                       "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/assets/..%5c..%5csecret.txt",
                       "/assets/leak.js", "/.inputs-sha256", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                       "/assets/%00.js", "//etc/passwd"):
            for accept in ("*/*", HTML):
                status, data = raw_get(self.server.port, target, [("Accept", accept)])
                self.assertGreaterEqual(status, 400, target)
                self.assertLess(status, 500, target)
                self.assertNotIn(SECRET, data, target)
                self.assertNotIn(b"root:", data, target)
                self.assertNotIn(b"stamp", data.split(b"\r\n\r\n", 1)[1], target)

    def test_api_and_openrosa_are_not_the_app(self):
        resp = self.c.request("GET", "/api/v1/no-such-thing", headers={"Accept": HTML})
        self.assertProblem(resp, 404)
        self.assertEqual(resp[1].get("X-Content-Type-Options"), "nosniff")
        self.assertIn("frame-ancestors 'none'", resp[1].get("Content-Security-Policy"))
        st, h, body = self.c.get("/api/v1/health")
        self.assertEqual(st, 200)
        self.assertEqual(body["status"], "ok")
        self.assertEqual(h.get("X-Content-Type-Options"), "nosniff")
        for path in ("/api", "/openrosa/demo/formList", "/key/nope/openrosa/demo/formList"):
            st, h, body = self.get(path, Accept=HTML)
            self.assertNotEqual(body, INDEX, path)
            self.assertGreaterEqual(st, 400, path)


class WebDirOption(support.ServerTestCase):
    def test_a_folder_without_index_html_is_refused_at_start(self):
        empty = support.new_dir("noweb")
        r = subprocess.run([support.BIN, "serve", "--listen", "127.0.0.1:%d" % support.free_port(),
                            "--database", support.db_url(support.fresh_db()), "--web-dir", empty],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"index.html", r.stderr + r.stdout)

    def test_environment_variable_names_the_folder(self):
        dist = make_dist()
        os.environ["GOTONG_WEB_DIR"] = dist
        try:
            server = support.Server().start()
        finally:
            del os.environ["GOTONG_WEB_DIR"]
        try:
            c = server.client()
            st, h, body = c.raw("GET", "/programs", headers={"Accept": HTML})
            self.assertEqual(st, 200)
            self.assertEqual(body, INDEX)
            c.close()
        finally:
            server.stop()


if __name__ == "__main__":
    import unittest
    unittest.main()
