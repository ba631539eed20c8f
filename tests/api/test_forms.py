"""Forms API: uploading an XLSForm or XForm as a draft (errors named by sheet, row and column),
publishing versions, states, downloads, roles and organisation isolation."""

import os
import unittest
import uuid

import support

FORMS = "/api/v1/orgs/demo/forms"
CORPUS = os.path.join(support.REPO, "tests", "data", "xlsform")


def corpus(*parts):
    with open(os.path.join(CORPUS, *parts), "rb") as f:
        return f.read()


def upload(client, name, data, org="demo"):
    boundary = "gotong" + uuid.uuid4().hex
    body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n") % (boundary, name)).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    st, h, raw = client.raw("POST", "/api/v1/orgs/%s/forms" % org, body,
                            {"Content-Type": "multipart/form-data; boundary=" + boundary})
    return st, h, support.decode_body(h, raw)


def xform(form_id, version, title="Survei"):
    return ("""<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
 <h:head><h:title>%s</h:title><model>
  <instance><data id="%s" version="%s"><q/><meta><instanceID/></meta></data></instance>
  <bind nodeset="/data/q" type="int" required="true()"/>
 </model></h:head>
 <h:body><input ref="/data/q"><label>Q</label></input></h:body>
</h:html>""" % (title, form_id, version)).encode()


class Forms(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.coordinator = cls.server.login(support.COORDINATOR)
        cls.viewer = cls.server.login(support.VIEWER)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_an_xlsform_with_errors_is_refused_with_its_rows(self):
        st, _, body = upload(self.coordinator, "unknown_question_type.xls",
                             corpus("example_xls", "unknown_question_type.xls"))
        self.assertEqual(st, 422, body)
        self.assertEqual(body["type"], "https://gotong.id/problems/validation")
        fields = [e["field"] for e in body["errors"]]
        self.assertTrue(fields and all(f.startswith("survey:") for f in fields), fields)
        self.assertIn("unknown question type", body["errors"][0]["message"])
        n = len(body["errors"])
        self.assertIn("has %d error%s" % (n, "" if n == 1 else "s"), body["detail"])
        st, _, listing = self.coordinator.get(FORMS)
        self.assertNotIn("unknown_question_type", [f["xml_form_id"] for f in listing["items"]])

    def test_upload_publish_download_and_new_version(self):
        st, h, body = upload(self.coordinator, "tutorial.xls", corpus("example_xls", "tutorial.xls"))
        self.assertEqual(st, 201, body)
        self.assertEqual(body["state"], "draft")
        self.assertIsNone(body["published"])
        self.assertEqual(body["draft"]["file"], "tutorial.xls")
        fid = body["id"]
        st, h, raw = self.coordinator.raw("GET", FORMS + "/%s/xform?draft=true" % fid)
        self.assertEqual(st, 200)
        self.assertIn(b"<h:html", raw)
        st, _, _ = self.coordinator.raw("GET", FORMS + "/%s/xform" % fid)
        self.assertEqual(st, 404)  # not published yet

        st, _, pub = self.coordinator.post(FORMS + "/%s/publish" % fid)
        self.assertEqual(st, 200, pub)
        self.assertEqual(pub["state"], "open")
        self.assertIsNone(pub["draft"])
        self.assertEqual(pub["published"]["status"], "published")
        self.assertTrue(pub["published"]["hash"].startswith("md5:"))
        st, h, raw = self.coordinator.raw("GET", FORMS + "/%s/source" % fid)
        self.assertEqual(st, 200)
        self.assertEqual(raw, corpus("example_xls", "tutorial.xls"))
        self.assertIn("tutorial.xls", h["Content-Disposition"])

        # The same version string again: stored as a draft, refused at publication.
        st, _, again = upload(self.coordinator, "tutorial.xls", corpus("example_xls", "tutorial.xls"))
        self.assertEqual(st, 201, again)
        st, _, conflict = self.coordinator.post(FORMS + "/%s/publish" % fid)
        self.assertEqual(st, 409, conflict)
        self.assertIn("version", conflict["detail"])
        st, _, versions = self.coordinator.get(FORMS + "/%s/versions" % fid)
        self.assertEqual([v["status"] for v in versions["items"]], ["draft", "published"])

    def test_xform_upload_versions_and_states(self):
        st, _, body = upload(self.coordinator, "survei.xml", xform("survei_air", "1", "Survei Air"))
        self.assertEqual(st, 201, body)
        fid = body["id"]
        st, h, pub = self.coordinator.post(FORMS + "/%s/publish" % fid)
        self.assertEqual(st, 200, pub)
        self.assertEqual(pub["title"], "Survei Air")
        st, _, body = upload(self.coordinator, "survei.xml", xform("survei_air", "2", "Survei Air Bersih"))
        self.assertEqual(body["id"], fid)  # same form, a new draft
        st, h, pub2 = self.coordinator.post(FORMS + "/%s/publish" % fid)
        self.assertEqual(st, 200, pub2)
        self.assertEqual(pub2["published"]["version"], "2")
        self.assertEqual(pub2["title"], "Survei Air Bersih")
        st, _, versions = self.coordinator.get(FORMS + "/%s/versions" % fid)
        self.assertEqual([v["status"] for v in versions["items"]], ["published", "superseded"])

        etag = h["ETag"]
        st, _, body = self.coordinator.patch(FORMS + "/%s" % fid, {"state": "closed"})
        self.assertEqual(st, 428, body)
        st, h, closed = self.coordinator.patch(FORMS + "/%s" % fid, {"state": "closed"}, headers={"If-Match": etag})
        self.assertEqual(st, 200, closed)
        self.assertEqual(closed["state"], "closed")
        st, _, stale = self.coordinator.patch(FORMS + "/%s" % fid, {"state": "open"}, headers={"If-Match": etag})
        self.assertEqual(st, 412, stale)
        st, _, bad = self.coordinator.patch(FORMS + "/%s" % fid, {"state": "deleted"}, headers={"If-Match": h["ETag"]})
        self.assertEqual(st, 422, bad)

    def test_bad_uploads(self):
        st, _, body = upload(self.coordinator, "notes.txt", b"hello")
        self.assertEqual(st, 422, body)
        st, _, body = upload(self.coordinator, "broken.xlsx", b"PK\x03\x04 not really a zip")
        self.assertEqual(st, 422, body)
        st, _, body = upload(self.coordinator, "broken.xml", b"<h:html><unclosed>")
        self.assertEqual(st, 422, body)
        st, _, body = self.coordinator.post(FORMS, {"file": "x"})
        self.assertEqual(st, 415, body)

    def test_viewers_cannot_upload_and_other_organisations_see_nothing(self):
        st, _, body = upload(self.viewer, "survei.xml", xform("viewer_form", "1"))
        self.assertEqual(st, 403, body)
        st, _, body = upload(self.coordinator, "survei.xml", xform("private_form", "1"))
        self.assertEqual(st, 201, body)
        fid = body["id"]
        other_db = self.server.db_path
        support.add_org(other_db, "lain", "Organisasi Lain")
        support.add_user(other_db, "lain", "admin@lain.id", "admin", "a long password")
        outsider = self.server.login("admin@lain.id", "a long password")
        st, _, body = outsider.get("/api/v1/orgs/lain/forms/%s" % fid)
        self.assertEqual(st, 404, body)
        st, _, body = outsider.get("/api/v1/orgs/demo/forms/%s" % fid)
        self.assertEqual(st, 404, body)
        st, _, body = outsider.post("/api/v1/orgs/lain/forms/%s/publish" % fid)
        self.assertEqual(st, 404, body)


if __name__ == "__main__":
    unittest.main()
