"""OpenRosa 1.0 as ODK Collect speaks it: form list, form and manifest and media downloads with
their md5 hashes, HEAD and POST submission (attachments, duplicates, conflicts, errors), the
three ways a device signs in (Basic, bearer, token in the path), roles, organisation isolation,
throttling, and the form media API behind the manifest."""

import base64
import hashlib
import os
import socket
import uuid
import xml.etree.ElementTree as ET

import support

FORMS = "/api/v1/orgs/demo/forms"
OR_NS = "{http://openrosa.org/http/response}"
LIST_NS = "{http://openrosa.org/xforms/xformsList}"
MANIFEST_NS = "{http://openrosa.org/xforms/xformsManifest}"
FIELD_PASSWORD = support.DEMO_PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
CSV = "name,label\nbosen,Desa Bosen\nkuanoel,Desa Kuanoel\n".encode()
JPEG = b"\xff\xd8\xff\xe0" + os.urandom(3000) + b"\xff\xd9"


def xform(form_id, version, title):
    return ("""<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
        xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>%s</h:title><model>
  <instance><data id="%s" version="%s"><q/><foto/><meta><instanceID/></meta></data></instance>
  <bind nodeset="/data/q" type="int" required="true()"/>
  <bind nodeset="/data/foto" type="binary"/>
  <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
 </model></h:head>
 <h:body><input ref="/data/q"><label>Q</label></input>
  <upload ref="/data/foto" mediatype="image/*"><label>Foto</label></upload></h:body>
</h:html>""" % (title, form_id, version)).encode()


def submission_xml(form_id, instance_id, q, foto="", version="1"):
    foto_el = "<foto>%s</foto>" % foto if foto else "<foto/>"
    return ("<data xmlns:jr=\"http://openrosa.org/javarosa\" id=\"%s\" version=\"%s\"><q>%s</q>%s"
            "<meta><instanceID>%s</instanceID></meta></data>" % (form_id, version, q, foto_el, instance_id)).encode()


def multipart(parts):
    """parts: (field name, file name or None, content type, bytes). Returns (body, content type)."""
    boundary = "or" + uuid.uuid4().hex
    out = b""
    for name, filename, ctype, data in parts:
        quoted = (filename or "").replace("\\", "\\\\").replace('"', '\\"')  # a quoted-string
        disp = 'form-data; name="%s"' % name + ('; filename="%s"' % quoted if filename else "")
        out += ("--%s\r\nContent-Disposition: %s\r\nContent-Type: %s\r\n\r\n" % (boundary, disp, ctype)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


def basic(email, password=FIELD_PASSWORD):
    return "Basic " + base64.b64encode(("%s:%s" % (email, password)).encode()).decode()


def md5(data):
    return "md5:" + hashlib.md5(data).hexdigest()


def upload_form(client, name, data, org="demo"):
    body, ctype = multipart([("file", name, "application/octet-stream", data)])
    st, h, raw = client.raw("POST", "/api/v1/orgs/%s/forms" % org, body, {"Content-Type": ctype})
    return st, support.decode_body(h, raw)


def upload_media(client, form_id, files, org="demo"):
    body, ctype = multipart([("file", n, t, d) for n, t, d in files])
    st, h, raw = client.raw("POST", "/api/v1/orgs/%s/forms/%s/media" % (org, form_id), body, {"Content-Type": ctype})
    return st, support.decode_body(h, raw)


class Device:
    """What ODK Collect does: OpenRosa headers on every request, credentials as configured."""

    def __init__(self, server, authorization=None, root="/openrosa/demo"):
        self.client = support.Client(server)
        self.authorization = authorization
        self.root = root

    def request(self, method, path, body=None, headers=None, version=True):
        h = {"X-OpenRosa-Version": "1.0"} if version else {}
        if self.authorization:
            h["Authorization"] = self.authorization
        h.update(headers or {})
        url = path if path.startswith("/") else self.root + "/" + path
        return self.client.raw(method, url, body, h)

    def submit(self, xml, files=(), query="", **kw):
        parts = [("xml_submission_file", "submission.xml", "text/xml", xml)]
        parts += [(name, name, ctype, data) for name, ctype, data in files]
        body, ctype = multipart(parts)
        return self.request("POST", "submission" + query, body, {"Content-Type": ctype}, **kw)


def message(raw):
    """The message of an OpenRosaResponse body: (nature, text)."""
    root = ET.fromstring(raw)
    if root.tag != OR_NS + "OpenRosaResponse":
        raise AssertionError("not an OpenRosaResponse: %r" % raw[:300])
    m = root.find(OR_NS + "message")
    return m.get("nature"), m.text or ""


def local(url):
    """The path of an absolute URL of this server."""
    assert url.startswith("http://127.0.0.1:"), url
    return "/" + url.split("/", 3)[3]


class OpenRosa(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.attachments = os.path.join(cls.server.dir, "attachments")  # support.Server's --attachments
        s = cls.server
        cls.coordinator = s.login(support.COORDINATOR)
        cls.admin = s.login(support.ADMIN)
        cls.field = Device(s, basic(support.FIELD_OFFICER))

        # A published open form with two media files (attached to the draft before publishing).
        st, body = upload_form(cls.coordinator, "foto.xml", xform("or_foto", "1", "Survei Foto & Air"))
        assert st == 201, body
        cls.foto_id = body["id"]
        st, body = upload_media(cls.coordinator, cls.foto_id, [("logo.png", "image/png", PNG),
                                                               ("desa lokal.csv", "text/plain", CSV)])
        assert st == 201, body
        st, _, pub = cls.coordinator.post(FORMS + "/%s/publish" % cls.foto_id)
        assert st == 200, pub
        cls.foto_hash = pub["published"]["hash"]

        # A published form without media, one that gets closed, and one that stays a draft.
        for form_id in ("or_plain", "or_closed", "or_draft"):
            st, body = upload_form(cls.coordinator, form_id + ".xml", xform(form_id, "1", form_id))
            assert st == 201, body
            if form_id != "or_draft":
                st, h, pub = cls.coordinator.post(FORMS + "/%s/publish" % body["id"])
                assert st == 200, pub
            if form_id == "or_closed":
                st, _, closed = cls.coordinator.patch(FORMS + "/%s" % body["id"], {"state": "closed"},
                                                      headers={"If-Match": h["ETag"]})
                assert st == 200, closed

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def form_list(self, device, query=""):
        st, h, raw = device.request("GET", "formList" + query)
        self.assertEqual(st, 200, raw)
        root = ET.fromstring(raw)
        self.assertEqual(root.tag, LIST_NS + "xforms")
        forms = {}
        for x in root.findall(LIST_NS + "xform"):
            forms[x.find(LIST_NS + "formID").text] = {c.tag[len(LIST_NS):]: c.text for c in x}
        return h, forms

    # -- form list and downloads ---------------------------------------------------------
    def test_form_list_offers_open_published_forms_with_hashes(self):
        h, forms = self.form_list(self.field)
        self.assertEqual(h["X-OpenRosa-Version"], "1.0")
        self.assertTrue(h["Date"])
        self.assertTrue(h["Content-Type"].startswith("text/xml"))
        self.assertIn("or_foto", forms)
        self.assertIn("or_plain", forms)
        self.assertNotIn("or_closed", forms)
        self.assertNotIn("or_draft", forms)
        foto = forms["or_foto"]
        self.assertEqual(foto["name"], "Survei Foto & Air")
        self.assertEqual(foto["version"], "1")
        self.assertEqual(foto["hash"], self.foto_hash)
        port = self.server.port
        self.assertEqual(foto["downloadUrl"], "http://127.0.0.1:%d/openrosa/demo/forms/or_foto/form.xml" % port)
        self.assertEqual(foto["manifestUrl"], "http://127.0.0.1:%d/openrosa/demo/forms/or_foto/manifest" % port)
        self.assertNotIn("manifestUrl", forms["or_plain"])  # no media, no manifest

        _, only = self.form_list(self.field, "?formID=or_plain")
        self.assertEqual(list(only), ["or_plain"])

    def test_form_manifest_and_media_download_match_their_hashes(self):
        _, forms = self.form_list(self.field)
        foto = forms["or_foto"]
        st, h, xml = self.field.request("GET", local(foto["downloadUrl"]))
        self.assertEqual(st, 200)
        self.assertEqual(h["X-OpenRosa-Version"], "1.0")
        self.assertEqual(md5(xml), foto["hash"])
        self.assertIn(b'id="or_foto"', xml)

        st, h, raw = self.field.request("GET", local(foto["manifestUrl"]))
        self.assertEqual(st, 200, raw)
        root = ET.fromstring(raw)
        self.assertEqual(root.tag, MANIFEST_NS + "manifest")
        files = {m.find(MANIFEST_NS + "filename").text: m for m in root.findall(MANIFEST_NS + "mediaFile")}
        self.assertEqual(sorted(files), ["desa lokal.csv", "logo.png"])
        for name, data in (("logo.png", PNG), ("desa lokal.csv", CSV)):
            self.assertEqual(files[name].find(MANIFEST_NS + "hash").text, md5(data))
            url = files[name].find(MANIFEST_NS + "downloadUrl").text
            self.assertNotIn(" ", url)  # percent-encoded
            st, h, got = self.field.request("GET", local(url))
            self.assertEqual(st, 200)
            self.assertEqual(got, data)
        st, h, _ = self.field.request("GET", local(files["desa lokal.csv"].find(MANIFEST_NS + "downloadUrl").text))
        self.assertEqual(h["Content-Type"], "text/csv")  # guessed: the upload said text/plain

        st, _, raw = self.field.request("GET", "forms/or_foto/media/nothere.png")
        self.assertEqual(st, 404)
        self.assertEqual(message(raw)[0], "error")
        for form_id in ("or_closed", "or_draft", "no_such_form"):
            st, _, raw = self.field.request("GET", "forms/%s/form.xml" % form_id)
            self.assertEqual(st, 404, form_id)

    def test_openrosa_headers_are_required_where_the_spec_says(self):
        st, h, raw = self.field.request("GET", "formList", version=False)
        self.assertEqual(st, 400)
        self.assertIn("X-OpenRosa-Version", message(raw)[1])
        self.assertEqual(h["X-OpenRosa-Version"], "1.0")
        st, _, raw = self.field.request("GET", "formList", headers={"X-OpenRosa-Version": "2.0"})
        self.assertEqual(st, 400)
        st, _, _ = self.field.request("GET", "forms/or_plain/form.xml", version=False)
        self.assertEqual(st, 200)  # a plain download
        # Unknown paths and methods answer in OpenRosa's format too.
        st, h, raw = self.field.request("GET", "nothing/here")
        self.assertEqual(st, 404)
        self.assertEqual(message(raw)[0], "error")
        st, h, raw = self.field.request("DELETE", "submission")
        self.assertEqual(st, 405)
        self.assertIn("POST", h["Allow"])
        self.assertEqual(message(raw)[0], "error")
        # API clients that ask for JSON get an RFC 9457 problem instead.
        st, h, raw = self.field.request("GET", "forms/no_such_form/form.xml", headers={"Accept": "application/json"})
        self.assertEqual(st, 404)
        self.assertEqual(h["Content-Type"], "application/problem+json")
        self.assertEqual(h["X-OpenRosa-Version"], "1.0")

    # -- submissions -----------------------------------------------------------------------
    def test_head_submission(self):
        st, h, raw = self.field.request("HEAD", "submission")
        self.assertEqual(st, 204)
        self.assertEqual(h["X-OpenRosa-Accept-Content-Length"], str(100 * 1024 * 1024))
        self.assertEqual(h["X-OpenRosa-Version"], "1.0")
        self.assertTrue(h["Date"])
        st, h, raw = Device(self.server).request("HEAD", "submission")
        self.assertEqual(st, 401)
        self.assertIn('Basic realm="Gotong"', h["WWW-Authenticate"])

    def test_submission_with_attachment_duplicate_and_conflict(self):
        iid = "uuid:" + str(uuid.uuid4())
        xml = submission_xml("or_foto", iid, 7, "foto1.jpg")
        st, h, raw = self.field.submit(xml, [("foto1.jpg", "image/jpeg", JPEG)], query="?deviceID=collect:test1")
        self.assertEqual(st, 201, raw)
        self.assertEqual(h["X-OpenRosa-Version"], "1.0")
        nature, text = message(raw)
        self.assertEqual(nature, "submit_success")
        self.assertNotIn("missing", text)
        # The photo is on disk, content-addressed, exactly as sent.
        sha = hashlib.sha256(JPEG).hexdigest()
        with open(os.path.join(self.attachments, sha[:2], sha[2:]), "rb") as f:
            self.assertEqual(f.read(), JPEG)

        # Collect retries after a lost answer: the same content is accepted once.
        st, h, raw = self.field.submit(xml, [("foto1.jpg", "image/jpeg", JPEG)])
        self.assertEqual(st, 202, raw)
        self.assertEqual(message(raw)[0], "submit_success")
        self.assertIn("already received", message(raw)[1])

        st, h, raw = self.field.submit(submission_xml("or_foto", iid, 8, "foto1.jpg"), [("foto1.jpg", "image/jpeg", JPEG)])
        self.assertEqual(st, 409, raw)
        self.assertEqual(message(raw)[0], "error")
        self.assertIn(iid, message(raw)[1])

    def test_submission_sent_in_two_parts_is_completed(self):
        iid = "uuid:" + str(uuid.uuid4())
        xml = submission_xml("or_foto", iid, 3, "foto2.jpg")
        st, _, raw = self.field.submit(xml)
        self.assertEqual(st, 201, raw)
        self.assertIn("missing", message(raw)[1])
        st, _, raw = self.field.submit(xml, [("foto2.jpg", "image/jpeg", JPEG[:1000])])
        self.assertEqual(st, 201, raw)
        self.assertNotIn("missing", message(raw)[1])

    def test_bad_submissions(self):
        body, ctype = multipart([("foto1.jpg", "foto1.jpg", "image/jpeg", JPEG)])
        st, _, raw = self.field.request("POST", "submission", body, {"Content-Type": ctype})
        self.assertEqual(st, 400)
        self.assertIn("xml_submission_file", message(raw)[1])
        st, _, raw = self.field.submit(b"<data id='or_foto'><q>1</q><unclosed></data>")
        self.assertEqual(st, 400, raw)
        self.assertEqual(message(raw)[0], "error")
        st, _, raw = self.field.request("POST", "submission", b"<data/>", {"Content-Type": "text/xml"})
        self.assertEqual(st, 400)
        st, _, raw = self.field.submit(submission_xml("no_such_form", "uuid:" + str(uuid.uuid4()), 1))
        self.assertEqual(st, 404, raw)
        st, _, raw = self.field.submit(submission_xml("or_closed", "uuid:" + str(uuid.uuid4()), 1))
        self.assertEqual(st, 409, raw)
        self.assertIn("closed", message(raw)[1])
        st, _, raw = self.field.submit(submission_xml("or_plain", "uuid:" + str(uuid.uuid4()), 1), version=False)
        self.assertEqual(st, 400)

    def test_too_large_is_refused_before_the_body(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(("POST /openrosa/demo/submission HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "X-OpenRosa-Version: 1.0\r\nAuthorization: %s\r\n"
                          "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n"
                          % (basic(support.FIELD_OFFICER), 100 * 1024 * 1024 + 1)).encode())
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:200])

    # -- who may do what -------------------------------------------------------------------
    def test_credentials_and_roles(self):
        st, h, raw = Device(self.server).request("GET", "formList")
        self.assertEqual(st, 401)
        self.assertIn('Basic realm="Gotong"', h["WWW-Authenticate"])
        self.assertEqual(message(raw)[0], "error")
        st, h, raw = Device(self.server, basic(support.FIELD_OFFICER, "not the password")).request("GET", "formList")
        self.assertEqual(st, 401)
        self.assertIn("WWW-Authenticate", h)
        st, h, raw = Device(self.server, "Digest username=\"x\"").request("GET", "formList")
        self.assertEqual(st, 401)
        st, h, raw = Device(self.server, "Basic !!!notbase64").request("GET", "formList")
        self.assertEqual(st, 401)
        # Viewers may read forms but not submit.
        viewer = Device(self.server, basic(support.VIEWER))
        self.assertIn("or_foto", self.form_list(viewer)[1])
        st, _, raw = viewer.request("HEAD", "submission")
        self.assertEqual(st, 403)
        st, _, raw = viewer.submit(submission_xml("or_plain", "uuid:" + str(uuid.uuid4()), 1))
        self.assertEqual(st, 403, raw)
        self.assertIn("viewer", message(raw)[1])
        # The web app's session cookie is not a device credential.
        st, _, _ = self.coordinator.raw("GET", "/openrosa/demo/formList", headers={"X-OpenRosa-Version": "1.0"})
        self.assertEqual(st, 401)

    def test_bearer_token_and_token_in_the_path(self):
        officer = self.server.login(support.FIELD_OFFICER)
        st, _, tok = officer.post("/api/v1/me/tokens", {"name": "tablet 7"})
        self.assertEqual(st, 201, tok)
        secret = tok.get("token") or tok.get("secret")
        self.assertTrue(secret and secret.startswith("gotong_"), tok)

        bearer = Device(self.server, "Bearer " + secret)
        self.assertIn("or_foto", self.form_list(bearer)[1])
        st, _, raw = bearer.submit(submission_xml("or_plain", "uuid:" + str(uuid.uuid4()), 2))
        self.assertEqual(st, 201, raw)

        keyed = Device(self.server, root="/key/%s/openrosa/demo" % secret)
        _, forms = self.form_list(keyed)
        url = forms["or_foto"]["downloadUrl"]
        self.assertTrue(url.startswith("http://127.0.0.1:%d/key/%s/openrosa/demo/" % (self.server.port, secret)), url)
        st, _, xml = keyed.request("GET", local(url))
        self.assertEqual(st, 200)
        self.assertEqual(md5(xml), forms["or_foto"]["hash"])
        st, _, raw = keyed.request("GET", local(forms["or_foto"]["manifestUrl"]))
        self.assertEqual(st, 200)
        self.assertIn(("/key/%s/" % secret).encode(), raw)
        st, _, raw = keyed.request("HEAD", "submission")
        self.assertEqual(st, 204)
        st, _, raw = keyed.submit(submission_xml("or_plain", "uuid:" + str(uuid.uuid4()), 3))
        self.assertEqual(st, 201, raw)

        st, _, _ = officer.delete("/api/v1/me/tokens/%s" % tok["id"])
        self.assertEqual(st, 204)
        st, h, raw = keyed.request("GET", "formList")
        self.assertEqual(st, 403)  # no password can repair a revoked key: no Basic challenge
        self.assertNotIn("WWW-Authenticate", h)
        st, h, raw = Device(self.server, root="/key/gotong_unknown/openrosa/demo").request("GET", "formList")
        self.assertEqual(st, 403)
        st, h, _ = bearer.request("GET", "formList")
        self.assertEqual(st, 401)

    def test_other_organisations_see_nothing(self):
        db = self.server.db_path
        support.add_org(db, "lainor", "Organisasi Lain")
        support.add_user(db, "lainor", "admin@lainor.id", "admin", "a long password")
        other_admin = self.server.login("admin@lainor.id", "a long password")
        st, body = upload_form(other_admin, "lain.xml", xform("or_lain", "1", "Lain"), org="lainor")
        self.assertEqual(st, 201, body)
        st, _, pub = other_admin.post("/api/v1/orgs/lainor/forms/%s/publish" % body["id"])
        self.assertEqual(st, 200, pub)

        other = Device(self.server, basic("admin@lainor.id", "a long password"), root="/openrosa/lainor")
        _, forms = self.form_list(other)
        self.assertEqual(list(forms), ["or_lain"])
        for path in ("/openrosa/demo/formList", "/openrosa/demo/forms/or_foto/form.xml",
                     "/openrosa/demo/forms/or_foto/manifest", "/openrosa/demo/forms/or_foto/media/logo.png"):
            st, _, raw = other.request("GET", path)
            self.assertEqual(st, 404, path)
        st, _, raw = other.request("GET", "forms/or_foto/form.xml")  # the same id in its own organisation
        self.assertEqual(st, 404)
        st, _, raw = other.submit(submission_xml("or_foto", "uuid:" + str(uuid.uuid4()), 1))
        self.assertEqual(st, 404, raw)
        st, _, raw = self.field.request("GET", "/openrosa/lainor/formList")
        self.assertEqual(st, 404)
        self.assertNotIn(b"or_lain", raw)

    def test_failed_basic_sign_ins_are_throttled_like_logins(self):
        db = self.server.db_path
        support.add_user(db, "demo", "tablet@demo.gotong.id", "field_officer", "tablet password 1")
        good = Device(self.server, basic("tablet@demo.gotong.id", "tablet password 1"))
        st, _, _ = good.request("HEAD", "submission")
        self.assertEqual(st, 204)  # verified once: remembered for a few minutes
        bad = Device(self.server, basic("tablet@demo.gotong.id", "guess"))
        for _ in range(5):
            st, _, _ = bad.request("HEAD", "submission")
            self.assertEqual(st, 401)
        # Locked: not even the remembered password is confirmed, and the web login is locked too.
        st, h, raw = good.request("HEAD", "submission")
        self.assertEqual(st, 429)
        self.assertTrue(int(h["Retry-After"]) > 0)
        st, _, _ = self.server.client().login("tablet@demo.gotong.id", "tablet password 1")
        self.assertEqual(st, 429)

    def test_a_changed_password_is_not_remembered(self):
        db = self.server.db_path
        support.add_user(db, "demo", "phone@demo.gotong.id", "field_officer", "phone password 1")
        old = Device(self.server, basic("phone@demo.gotong.id", "phone password 1"))
        self.assertIn("or_foto", self.form_list(old)[1])
        web = self.server.login("phone@demo.gotong.id", "phone password 1")
        st, _, body = web.post("/api/v1/me/password", {"current_password": "phone password 1",
                                                       "new_password": "phone password 2"})
        self.assertIn(st, (200, 204), body)
        st, _, _ = old.request("GET", "formList")
        self.assertEqual(st, 401)
        new = Device(self.server, basic("phone@demo.gotong.id", "phone password 2"))
        self.assertIn("or_foto", self.form_list(new)[1])

    # -- the form media API ----------------------------------------------------------------
    def test_media_names_roles_drafts_and_audit(self):
        st, body = upload_form(self.coordinator, "media.xml", xform("or_media", "1", "Media"))
        self.assertEqual(st, 201, body)
        fid = body["id"]
        for name in ("../escape.png", "a/b.png", "a\\b.png", ".hidden", "c:d.png"):
            st, body = upload_media(self.coordinator, fid, [(name, "image/png", PNG)])
            self.assertEqual(st, 422, (name, body))
        viewer = self.server.login(support.VIEWER)
        st, body = upload_media(viewer, fid, [("logo.png", "image/png", PNG)])
        self.assertEqual(st, 403, body)

        st, body = upload_media(self.coordinator, fid, [("logo.png", "image/png", PNG), ("x.csv", "text/csv", CSV)])
        self.assertEqual(st, 201, body)
        self.assertEqual([m["hash"] for m in body["items"]], [md5(PNG), md5(CSV)])
        st, body = upload_media(self.coordinator, fid, [("logo.png", "image/png", PNG[:100])])  # replaces
        self.assertEqual(st, 201, body)
        st, _, listing = self.coordinator.get(FORMS + "/%s/media?draft=true" % fid)
        self.assertEqual(st, 200, listing)
        self.assertEqual({m["name"]: m["size"] for m in listing["items"]}, {"logo.png": 100, "x.csv": len(CSV)})
        st, h, raw = viewer.raw("GET", FORMS + "/%s/media/x.csv?draft=true" % fid)
        self.assertEqual((st, raw), (200, CSV))
        st, _, _ = viewer.raw("GET", FORMS + "/%s/media/x.csv" % fid)
        self.assertEqual(st, 404)  # not published yet
        st, _, _ = viewer.delete(FORMS + "/%s/media/x.csv" % fid)
        self.assertEqual(st, 403)
        st, _, _ = self.coordinator.delete(FORMS + "/%s/media/x.csv" % fid)
        self.assertEqual(st, 204)
        st, _, _ = self.coordinator.delete(FORMS + "/%s/media/x.csv" % fid)
        self.assertEqual(st, 404)

        # Published: the media go with the version; a new upload's draft starts with them.
        st, _, pub = self.coordinator.post(FORMS + "/%s/publish" % fid)
        self.assertEqual(st, 200, pub)
        st, body = upload_media(self.coordinator, fid, [("late.png", "image/png", PNG)])
        self.assertEqual(st, 409, body)  # no draft to attach to
        st, body = upload_form(self.coordinator, "media.xml", xform("or_media", "2", "Media"))
        self.assertEqual(st, 201, body)
        st, _, listing = self.coordinator.get(FORMS + "/%s/media?draft=true" % fid)
        self.assertEqual([m["name"] for m in listing["items"]], ["logo.png"])
        st, body = upload_media(self.coordinator, fid, [("peta.png", "image/png", PNG)])
        self.assertEqual(st, 201, body)
        st, body = upload_form(self.coordinator, "media.xml", xform("or_media", "2", "Media"))  # replaces the draft
        self.assertEqual(st, 201, body)
        st, _, listing = self.coordinator.get(FORMS + "/%s/media?draft=true" % fid)
        self.assertEqual([m["name"] for m in listing["items"]], ["logo.png", "peta.png"])
        st, _, pub = self.coordinator.post(FORMS + "/%s/publish" % fid)
        self.assertEqual(st, 200, pub)
        st, _, raw = self.field.request("GET", "forms/or_media/manifest")
        names = [m.find(MANIFEST_NS + "filename").text
                 for m in ET.fromstring(raw).findall(MANIFEST_NS + "mediaFile")]
        self.assertEqual(names, ["logo.png", "peta.png"])

        st, _, audit = self.admin.get("/api/v1/orgs/demo/audit?object_type=form&object_id=%s" % fid)
        self.assertEqual(st, 200, audit)
        actions = [e["action"] for e in audit["items"]]
        for action in ("form.media_add", "form.media_replace", "form.media_delete"):
            self.assertIn(action, actions)


if __name__ == "__main__":
    import unittest
    unittest.main()
