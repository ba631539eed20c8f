"""Submissions through the JSON API: receiving XML, JSON and multipart; idempotency by instanceID;
rule breaks kept as has_issues; review, comments, edits with history, the bin; attachments;
list filters and paging; roles and organisation isolation."""

import hashlib
import json
import unittest
import uuid

import support

ORG = "/api/v1/orgs/demo"

XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
        xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
 <h:head><h:title>Survei Rumah Tangga</h:title><model>
  <instance><data id="%(id)s" version="%(version)s">
   <area/><head_age/><water/><photo/>
   <member jr:template=""><name/><age/></member>
   <meta><instanceID/><deprecatedID/></meta>
  </data></instance>
  <bind nodeset="/data/area" type="string" required="true()"/>
  <bind nodeset="/data/head_age" type="int" required="true()" constraint=". &gt;= 15 and . &lt;= 110"
        jr:constraintMsg="Umur kepala keluarga 15 sampai 110"/>
  <bind nodeset="/data/water" type="string"/>
  <bind nodeset="/data/photo" type="binary"/>
  <bind nodeset="/data/member/name" type="string"/>
  <bind nodeset="/data/member/age" type="int"/>
  <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
 </model></h:head>
 <h:body>
  <input ref="/data/area"><label>Dusun</label></input>
  <input ref="/data/head_age"><label>Umur</label></input>
  <select ref="/data/water"><label>Air</label>
   <item><label>Pipa</label><value>piped</value></item>
   <item><label>Sumur</label><value>well</value></item>
   <item><label>Hujan</label><value>rain</value></item>
  </select>
  <upload ref="/data/photo" mediatype="image/*"><label>Foto</label></upload>
  <group ref="/data/member"><label>Anggota</label><repeat nodeset="/data/member">
   <input ref="/data/member/name"><label>Nama</label></input>
   <input ref="/data/member/age"><label>Umur</label></input>
  </repeat></group>
 </h:body>
</h:html>"""


def new_id():
    return "uuid:" + str(uuid.uuid4())


def instance(form_id, version, iid, area="53.02.03.2003.1", age="40", water="piped well", photo="",
             members=(("Maria", "38"),), deprecated=""):
    rows = "".join("<member><name>%s</name><age>%s</age></member>" % m for m in members)
    return ("<data id=\"%s\" version=\"%s\"><area>%s</area><head_age>%s</head_age><water>%s</water>"
            "<photo>%s</photo>%s<meta><instanceID>%s</instanceID><deprecatedID>%s</deprecatedID></meta></data>"
            % (form_id, version, area, age, water, photo, rows, iid, deprecated)).encode()


def multipart(fields):
    """fields: [(name, filename or None, content_type, bytes)] → (body, content type)."""
    boundary = "gotong" + uuid.uuid4().hex
    out = b""
    for name, filename, ctype, data in fields:
        disp = 'form-data; name="%s"' % name + ('; filename="%s"' % filename if filename else "")
        out += ("--%s\r\nContent-Disposition: %s\r\nContent-Type: %s\r\n\r\n" % (boundary, disp, ctype)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


def publish_form(client, form_id, version="1"):
    body, ctype = multipart([("file", form_id + ".xml", "application/xml",
                              (XFORM % {"id": form_id, "version": version}).encode())])
    st, _, raw = client.raw("POST", ORG + "/forms", body, {"Content-Type": ctype})
    assert st == 201, raw
    fid = json.loads(raw)["id"]
    st, _, pub = client.post(ORG + "/forms/%s/publish" % fid)
    assert st == 200, pub
    return fid


class Submissions(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.coordinator = cls.server.login(support.COORDINATOR)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.form_key = "hh_" + uuid.uuid4().hex[:8]
        cls.fid = publish_form(cls.coordinator, cls.form_key)
        cls.url = ORG + "/forms/%s/submissions" % cls.fid

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post_xml(self, client, xml):
        st, h, raw = client.raw("POST", self.url, xml, {"Content-Type": "application/xml"})
        return st, support.decode_body(h, raw)

    def test_xml_submission_is_stored_once_and_conflicts_are_refused(self):
        iid = new_id()
        xml = instance(self.form_key, "1", iid)
        st, body = self.post_xml(self.officer, xml)
        self.assertEqual(st, 201, body)
        self.assertEqual(body["outcome"], "created")
        self.assertEqual(body["state"], "received")
        self.assertEqual(body["issue_count"], 0)
        sid = body["id"]
        st, again = self.post_xml(self.officer, xml)
        self.assertEqual(st, 200, again)
        self.assertEqual((again["outcome"], again["id"]), ("duplicate", sid))
        st, conflict = self.post_xml(self.officer, instance(self.form_key, "1", iid, age="41"))
        self.assertEqual(st, 409, conflict)
        self.assertIn(iid, conflict["detail"])
        st, _, listing = self.coordinator.get(ORG + "/submissions?form=%s&limit=500" % self.fid)
        self.assertEqual([s["instance_id"] for s in listing["items"]].count(iid), 1)
        st, _, detail = self.coordinator.get(ORG + "/submissions/%s" % sid)
        self.assertEqual(st, 200, detail)
        self.assertEqual(detail["answers"]["head_age"], "40")
        self.assertEqual(detail["answers"]["member"], [{"name": "Maria", "age": "38"}])
        self.assertEqual(detail["submitter"]["name"] is not None, True)
        self.assertEqual(detail["area_code"], "53.02.03.2003.1")

    def test_rule_breaks_are_kept_with_their_issues(self):
        st, body = self.post_xml(self.officer, instance(self.form_key, "1", new_id(), age="7", area=""))
        self.assertEqual(st, 201, body)
        self.assertEqual(body["state"], "has_issues")
        st, _, detail = self.coordinator.get(ORG + "/submissions/%s" % body["id"])
        rules = sorted((i["path"], i["rule"]) for i in detail["issues"])
        self.assertEqual(rules, [("/data/area", "required"), ("/data/head_age", "constraint")])
        msgs = [i["message"] for i in detail["issues"] if i["rule"] == "constraint"]
        self.assertEqual(msgs, ["Umur kepala keluarga 15 sampai 110"])
        st, _, bad_type = self.coordinator.get(ORG + "/submissions/%s" % self.post_xml(
            self.officer, instance(self.form_key, "1", new_id(), age="forty"))[1]["id"])
        self.assertEqual([i["rule"] for i in bad_type["issues"]], ["type"])

    def test_json_answers_become_an_instance(self):
        iid = new_id()
        answers = {"area": "53.02.03.2003.2", "head_age": 52, "water": ["rain", "well"],
                   "member": [{"name": "Yohanes", "age": 12}, {"name": "Ina", "age": 9}]}
        st, _, body = self.officer.post(self.url, {"instance_id": iid, "answers": answers})
        self.assertEqual(st, 201, body)
        st, _, again = self.officer.post(self.url, {"instance_id": iid, "answers": answers})
        self.assertEqual((st, again["outcome"]), (200, "duplicate"))
        st, _, detail = self.coordinator.get(ORG + "/submissions/%s" % body["id"])
        self.assertEqual(detail["answers"]["water"], "rain well")
        self.assertEqual([m["name"] for m in detail["answers"]["member"]], ["Yohanes", "Ina"])
        self.assertEqual(detail["answers"]["meta"]["instanceID"], iid)
        st, _, bad = self.officer.post(self.url, {"instance_id": new_id(), "answers": {"nope": 1}})
        self.assertEqual(st, 422, bad)
        self.assertEqual(bad["errors"][0]["field"], "nope")
        st, _, bad = self.officer.post(self.url, {"instance_id": "123", "answers": {}})
        self.assertEqual(st, 422, bad)

    def test_unreadable_and_unknown_submissions_are_refused_clearly(self):
        st, body = self.post_xml(self.officer, b"<data><unclosed></data>")
        self.assertEqual(st, 400, body)
        self.assertIn("cannot be read", body["detail"])
        st, body = self.post_xml(self.officer, b"<data id=\"%s\" version=\"1\"><meta/></data>" % self.form_key.encode())
        self.assertEqual(st, 400, body)
        st, body = self.post_xml(self.officer, instance("no_such_form", "1", new_id()))
        self.assertIn(st, (404, 422), body)
        st, body = self.post_xml(self.officer, instance(self.form_key, "99", new_id()))
        self.assertEqual(st, 404, body)
        self.assertIn("99", body["detail"])
        st, body = self.post_xml(self.officer, b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><data/>")
        self.assertEqual(st, 400, body)

    def test_hostile_submissions_cost_nothing(self):
        deep = b"<data id=\"%s\" version=\"1\">" % self.form_key.encode() + b"<a>" * 10000 + b"</a>" * 10000 + \
            b"<meta><instanceID>%s</instanceID></meta></data>" % new_id().encode()
        st, body = self.post_xml(self.officer, deep)
        self.assertEqual(st, 400, body)
        laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                  b'<data id="%s" version="1"><area>&lol2;</area></data>' % self.form_key.encode())
        st, body = self.post_xml(self.officer, laughs)
        self.assertEqual(st, 400, body)
        huge = instance(self.form_key, "1", new_id(), area="x" * (11 * 1024 * 1024))
        st, body = self.post_xml(self.officer, huge)
        self.assertEqual(st, 413, body)
        self.assertEqual(self.coordinator.get("/api/v1/health")[0], 200)

    def test_attachments_are_stored_and_served_only_to_members(self):
        iid = new_id()
        photo = b"\x89PNG fake image bytes " + uuid.uuid4().bytes
        xml = instance(self.form_key, "1", iid, photo="rumah.jpg")
        body, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml", xml)])
        st, _, raw = self.officer.raw("POST", self.url, body, {"Content-Type": ctype})
        first = json.loads(raw)
        self.assertEqual((st, first["attachments_expected"], first["attachments_present"]), (201, 1, 0), first)
        body, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml", xml),
                                 ("rumah.jpg", "rumah.jpg", "image/jpeg", photo),
                                 ("other.jpg", "other.jpg", "image/jpeg", b"not named by the form")])
        st, _, raw = self.officer.raw("POST", self.url, body, {"Content-Type": ctype})
        second = json.loads(raw)
        self.assertEqual((st, second["outcome"], second["attachments_present"]), (201, "completed", 1), second)
        st, _, detail = self.coordinator.get(ORG + "/submissions/%s" % first["id"])
        self.assertEqual([a["name"] for a in detail["attachments"]], ["rumah.jpg"])
        self.assertEqual(detail["attachments"][0]["sha256"], hashlib.sha256(photo).hexdigest())
        st, h, data = self.viewer.raw("GET", ORG + "/submissions/%s/attachments/rumah.jpg" % first["id"])
        self.assertEqual((st, data, h["Content-Type"]), (200, photo, "image/jpeg"))
        st, _, _ = self.viewer.raw("GET", ORG + "/submissions/%s/attachments/other.jpg" % first["id"])
        self.assertEqual(st, 404)
        outsider = self.server.client()
        st, _, _ = outsider.raw("GET", ORG + "/submissions/%s/attachments/rumah.jpg" % first["id"])
        self.assertEqual(st, 401)

    def test_review_comments_and_the_bin(self):
        st, body = self.post_xml(self.officer, instance(self.form_key, "1", new_id()))
        sid = body["id"]
        path = ORG + "/submissions/%s" % sid
        st, h, detail = self.coordinator.get(path)
        etag = h["ETag"]
        st, _, refused = self.officer.patch(path, {"state": "approved"}, headers={"If-Match": etag})
        self.assertEqual(st, 403, refused)
        st, _, missing = self.coordinator.patch(path, {"state": "approved"})
        self.assertEqual(st, 428, missing)
        st, h, approved = self.coordinator.patch(path, {"state": "approved", "comment": "Sudah dicek"},
                                                 headers={"If-Match": etag})
        self.assertEqual((st, approved["state"]), (200, "approved"), approved)
        st, _, stale = self.coordinator.patch(path, {"state": "rejected"}, headers={"If-Match": etag})
        self.assertEqual(st, 412, stale)
        st, _, c = self.coordinator.post(path + "/comments", {"body": "Foto kurang jelas"})
        self.assertEqual(st, 201, c)
        st, h, detail = self.coordinator.get(path)
        self.assertEqual([x["body"] for x in detail["comments"]], ["Sudah dicek", "Foto kurang jelas"])
        st, h2, deleted = self.coordinator.delete(path, headers={"If-Match": h["ETag"]})
        self.assertEqual(st, 200, deleted)
        self.assertIsNotNone(deleted["deleted_at"])
        st, _, listing = self.coordinator.get(ORG + "/submissions?form=%s&limit=500" % self.fid)
        self.assertNotIn(sid, [s["id"] for s in listing["items"]])
        st, _, binned = self.coordinator.get(ORG + "/submissions?form=%s&deleted=true" % self.fid)
        self.assertIn(sid, [s["id"] for s in binned["items"]])
        st, _, restored = self.coordinator.post(path + "/restore", headers={"If-Match": h2["ETag"]})
        self.assertEqual((st, restored["deleted_at"], restored["state"]), (200, None, "approved"), restored)
        st, _, audit = self.server.login(support.ADMIN).get(
            ORG + "/audit?object_type=submission&object_id=%s" % sid)
        actions = [e["action"] for e in audit["items"]]
        for a in ("submission.create", "submission.review", "submission.comment", "submission.delete",
                  "submission.restore"):
            self.assertIn(a, actions)

    def test_edits_keep_the_history(self):
        first = new_id()
        st, body = self.post_xml(self.officer, instance(self.form_key, "1", first, age="7"))
        sid = body["id"]
        path = ORG + "/submissions/%s" % sid
        st, h, _ = self.coordinator.get(path)
        second = new_id()
        st, _, edited = self.coordinator.post(path + "/edits", {
            "instance_id": second, "reason": "umur salah ketik",
            "answers": {"area": "53.02.03.2003.1", "head_age": 70, "water": "piped"}},
            headers={"If-Match": h["ETag"]})
        self.assertEqual(st, 200, edited)
        self.assertEqual((edited["state"], edited["current_instance_id"], edited["instance_id"]),
                         ("received", second, first))
        st, _, detail = self.coordinator.get(path)
        self.assertEqual(detail["answers"]["head_age"], "70")
        self.assertEqual(detail["answers"]["meta"]["deprecatedID"], first)
        self.assertEqual([(e["instance_id"], e["reason"], e["issue_count"]) for e in detail["edits"]],
                         [(first, "umur salah ketik", 1)])
        # A device edit (ODK Collect: new instanceID, deprecatedID = the current one).
        third = new_id()
        st, dev = self.post_xml(self.officer, instance(self.form_key, "1", third, age="71", deprecated=second))
        self.assertEqual((st, dev["outcome"], dev["id"]), (201, "edited", sid), dev)
        st, again = self.post_xml(self.officer, instance(self.form_key, "1", third, age="71", deprecated=second))
        self.assertEqual((st, again["outcome"]), (200, "duplicate"), again)
        st, _, detail = self.coordinator.get(path)
        self.assertEqual(len(detail["edits"]), 2)
        self.assertEqual(detail["answers"]["head_age"], "71")

    def test_filters_and_paging(self):
        key = "flt_" + uuid.uuid4().hex[:8]
        fid = publish_form(self.coordinator, key)
        url = ORG + "/forms/%s/submissions" % fid
        for i in range(7):
            area = "53.02.03.2003.%d" % (1 + i % 2)
            xml = instance(key, "1", new_id(), area=area, water="well" if i < 3 else "piped", age=str(20 + i))
            st, _, raw = self.officer.raw("POST", url, xml, {"Content-Type": "application/xml"})
            self.assertEqual(st, 201, raw)
        base = ORG + "/submissions?form=%s" % fid
        st, _, page1 = self.coordinator.get(base + "&limit=3")
        self.assertEqual(len(page1["items"]), 3)
        seen = [s["id"] for s in page1["items"]]
        cursor = page1["next_cursor"]
        while cursor:
            st, _, page = self.coordinator.get(base + "&limit=3&cursor=" + cursor)
            seen += [s["id"] for s in page["items"]]
            cursor = page["next_cursor"]
        self.assertEqual(len(seen), 7)
        self.assertEqual(len(set(seen)), 7)
        self.assertEqual(seen, sorted(seen, key=int, reverse=True))
        st, _, wells = self.coordinator.get(base + "&field.water=well")
        self.assertEqual(len(wells["items"]), 3)
        st, _, wells = self.coordinator.get(base + "&field.water=well&limit=2")
        self.assertEqual((len(wells["items"]), wells["next_cursor"] is not None), (2, True))
        st, _, dusun1 = self.coordinator.get(base + "&area=53.02.03.2003.1")
        self.assertEqual(len(dusun1["items"]), 4)
        st, _, village = self.coordinator.get(base + "&area=53.02.03.2003")
        self.assertEqual(len(village["items"]), 7)
        st, _, none = self.coordinator.get(base + "&area=53.02.03.200")
        self.assertEqual(len(none["items"]), 0)
        # A sub-area of the organisation is named by its id and found under its village.
        bosen = support.area_by_code(self.coordinator, support.BOSEN_CODE)
        st, _, dusun = self.coordinator.get(ORG + "/areas?parent=%s" % bosen["id"])
        first_dusun = dusun["items"][0]["id"]
        st, _, raw = self.officer.raw("POST", url, instance(key, "1", new_id(), area=first_dusun),
                                      {"Content-Type": "application/xml"})
        st, _, mine = self.coordinator.get(base + "&area=%s" % first_dusun)
        self.assertEqual([s["area_code"] for s in mine["items"]], [dusun["items"][0]["code"]])
        self.assertTrue(dusun["items"][0]["code"].startswith(support.BOSEN_CODE + "."), dusun["items"][0])
        st, _, village = self.coordinator.get(base + "&area=" + support.BOSEN_CODE)
        self.assertEqual(len(village["items"]), 8)
        st, _, village = self.coordinator.get(base + "&area=%s" % bosen["id"])
        self.assertEqual(len(village["items"]), 8)
        st, _, states = self.coordinator.get(base + "&state=approved,rejected")
        self.assertEqual(states["items"], [])
        st, _, bad = self.coordinator.get(base + "&state=lost")
        self.assertEqual(st, 422, bad)
        st, _, bad = self.coordinator.get(base + "&from=yesterday")
        self.assertEqual(st, 400, bad)

    def test_roles_and_isolation(self):
        st, body = self.post_xml(self.viewer, instance(self.form_key, "1", new_id()))
        self.assertEqual(st, 403, body)
        st, body = self.post_xml(self.officer, instance(self.form_key, "1", new_id()))
        sid = body["id"]
        db = self.server.db_path
        support.add_org(db, "lain", "Organisasi Lain")
        support.add_user(db, "lain", "admin@lain.example", "admin", "rahasia-lain-123")
        other = self.server.login("admin@lain.example", "rahasia-lain-123")
        st, _, _ = other.get(ORG + "/submissions/%s" % sid)
        self.assertEqual(st, 404)
        st, _, _ = other.get("/api/v1/orgs/lain/submissions/%s" % sid)
        self.assertEqual(st, 404)
        st, _, listing = other.get("/api/v1/orgs/lain/submissions")
        self.assertEqual(listing["items"], [])
        st, _, raw = other.raw("POST", "/api/v1/orgs/lain/forms/%s/submissions" % self.fid,
                               instance(self.form_key, "1", new_id()), {"Content-Type": "application/xml"})
        self.assertEqual(st, 404, raw)

    def test_closed_forms_accept_nothing(self):
        key = "cls_" + uuid.uuid4().hex[:8]
        fid = publish_form(self.coordinator, key)
        st, h, _ = self.coordinator.get(ORG + "/forms/%s" % fid)
        st, _, closed = self.coordinator.patch(ORG + "/forms/%s" % fid, {"state": "closed"},
                                               headers={"If-Match": h["ETag"]})
        self.assertEqual(st, 200, closed)
        st, _, raw = self.officer.raw("POST", ORG + "/forms/%s/submissions" % fid, instance(key, "1", new_id()),
                                      {"Content-Type": "application/xml"})
        self.assertEqual(st, 409, raw)
        self.assertIn(b"closed", raw)


if __name__ == "__main__":
    unittest.main()
