"""Areas: browsing the official regions, search, the organisation's own sub-areas (with
If-Match), and the audit log those changes write (filters, cursor paging, append-only)."""

import statistics
import sys
import time
import unittest
import urllib.parse

import support

AREAS = "/api/v1/orgs/demo/areas"
AUDIT = "/api/v1/orgs/demo/audit"
DEMO_DUSUN = ["Dusun I Bosen", "Dusun II Oelbubuk", "Dusun III Fatumnasi", "Dusun IV Nenas"]


def q(text, **more):
    return AREAS + "?" + urllib.parse.urlencode(dict(q=text, **more))


class Areas(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.bosen = support.area_by_code(cls.admin, support.BOSEN_CODE)
        cls.district = support.area_by_code(cls.admin, support.MOLLO_UTARA_CODE)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- browsing ------------------------------------------------------------------------
    def test_root_children_are_the_38_provinces(self):
        st, _, body = self.admin.get(AREAS)
        self.assertEqual(st, 200, body)
        items = body["items"]
        self.assertEqual(len(items), 38)
        self.assertTrue(all(a["level"] == 1 and a["kind"] == "provinsi" and a["official"] for a in items))
        self.assertTrue(all(a["parent_id"] is None for a in items))
        names = [a["name"] for a in items]
        self.assertEqual(names, sorted(names))
        self.assertIn("Nusa Tenggara Timur", names)
        self.assertIn("Papua Barat Daya", names)
        self.assertIsNone(body["next_cursor"])

    def test_children_of_a_province(self):
        st, _, provinces = self.admin.get(AREAS)
        ntt = next(a for a in provinces["items"] if a["code"] == "53")
        st, _, body = self.admin.get(AREAS + "?parent=%s" % ntt["id"])
        self.assertEqual(st, 200, body)
        items = body["items"]
        self.assertEqual(len(items), 22)  # 21 kabupaten + Kota Kupang
        self.assertTrue(all(a["parent_id"] == ntt["id"] and a["level"] == 2 for a in items))
        self.assertTrue(all(a["code"].startswith("53.") for a in items))
        kinds = {a["name"]: a["kind"] for a in items}
        self.assertEqual(kinds["Kota Kupang"], "kota")
        self.assertEqual(kinds["Kabupaten Timor Tengah Selatan"], "kabupaten")

    def test_get_one_area(self):
        st, h, a = self.admin.get(AREAS + "/%s" % self.bosen["id"])
        self.assertEqual(st, 200, a)
        self.assertEqual(a["code"], support.BOSEN_CODE)
        self.assertEqual(a["kind"], "desa")
        self.assertEqual(a["level"], 4)
        self.assertEqual(h.get("ETag"), '"v%d"' % a["version"])

    def test_bad_parameters(self):
        self.assertProblem(self.admin.get(AREAS + "?parent=abc"), 400)
        self.assertProblem(self.admin.get(AREAS + "?parent=999999999"), 404)
        self.assertProblem(self.admin.get(AREAS + "/abc"), 404)
        self.assertProblem(self.admin.get(AREAS + "/0"), 404)
        self.assertProblem(self.admin.get(q("bosen", limit=0)), 400)
        self.assertProblem(self.admin.get(q("bosen", limit=101)), 400)
        self.assertProblem(self.admin.get(q("  ...  ")), 422)

    def test_the_demo_village_has_four_dusun(self):
        st, _, body = self.admin.get(AREAS + "?parent=%s" % self.bosen["id"])
        self.assertEqual(st, 200)
        mine = [a for a in body["items"] if not a["name"].startswith("Uji ")]
        self.assertEqual([a["name"] for a in mine], DEMO_DUSUN)
        for n, a in enumerate(mine, start=1):
            self.assertEqual(a["kind"], "dusun")
            self.assertEqual(a["level"], 5)
            self.assertFalse(a["official"])
            self.assertEqual(a["code"], "%s.%02d" % (support.BOSEN_CODE, n))  # numbered in the order made
            self.assertTrue(a["full_name"].startswith(a["name"] + ", Bosen, Mollo Utara"), a["full_name"])

    # -- search --------------------------------------------------------------------------
    def test_search_bosen(self):
        st, _, body = self.admin.get(q("bosen"))
        self.assertEqual(st, 200, body)
        items = body["items"]
        self.assertTrue(items)
        first = items[0]
        self.assertEqual(first["code"], support.BOSEN_CODE, "the exact match ranks first: %r" % items[:3])
        self.assertEqual(first["name"], "Bosen")
        self.assertIn("Timor Tengah Selatan", first["full_name"])
        self.assertIn("Mollo Utara", first["full_name"])
        # Prefix of a word: "Talang Boseng" matches too, after the whole-word match.
        self.assertIn("Talang Boseng", [a["name"] for a in items])

    def test_search_ignores_case_and_accents(self):
        base = [a["id"] for a in self.admin.get(q("bosen"))[2]["items"]]
        for text in ("BOSEN", "BOSÉN", "Bosén", "bose\u0301n", "  bosen  "):
            with self.subTest(text=text):
                st, _, body = self.admin.get(q(text))
                self.assertEqual(st, 200, body)
                self.assertEqual([a["id"] for a in body["items"]], base)

    def test_query_parameters_are_percent_decoded(self):
        # Clients encode a space as %20 (encodeURIComponent, curl --data-urlencode) or '+'
        # (HTML forms, URLSearchParams); both must mean a space.
        plus = [a["id"] for a in self.admin.get(AREAS + "?q=sukamaju+garut")[2]["items"]]
        self.assertEqual(len(plus), 3)
        st, _, body = self.admin.get(AREAS + "?q=sukamaju%20garut")
        self.assertEqual(st, 200, body)
        self.assertEqual([a["id"] for a in body["items"]], plus, "q=sukamaju%20garut")
        st, _, body = self.admin.get(AREAS + "?q=%62%6F%73%65%6E")  # "bosen", every letter encoded
        self.assertEqual(st, 200, body)
        self.assertIn(support.BOSEN_CODE, [a["code"] for a in body["items"]])
        # An encoded ISO-8601 time (':' as %3A) in the audit filter.
        st, _, body = self.admin.get(AUDIT + "?since=2000-01-01T00%3A00%3A00Z&limit=1")
        self.assertEqual(st, 200, body)
        self.assertEqual(len(body["items"]), 1)

    def test_search_multi_word(self):
        st, _, body = self.admin.get(q("sukamaju garut"))
        self.assertEqual(st, 200, body)
        items = body["items"]
        # Three villages called Sukamaju in Kabupaten Garut (32.05.13.2005, 32.05.19.2014, 32.05.37.2001).
        codes = sorted(a["code"] for a in items)
        self.assertEqual(codes, ["32.05.13.2005", "32.05.19.2014", "32.05.37.2001"], items)
        for a in items:
            self.assertIn("Garut", a["full_name"])
            self.assertEqual(a["name"], "Sukamaju")
        # Every further word must be in the full name.
        st, _, body = self.admin.get(q("sukamaju zzzz"))
        self.assertEqual(st, 200, body)
        self.assertEqual(body["items"], [])

    def test_search_limit(self):
        st, _, body = self.admin.get(q("suka"))
        self.assertEqual(len(body["items"]), 20)  # the default
        st, _, body = self.admin.get(q("suka", limit=5))
        self.assertEqual(len(body["items"]), 5)
        st, _, body = self.admin.get(q("s", limit=100))
        self.assertEqual(len(body["items"]), 100)

    def test_search_timing(self):
        prefixes = ["s", "su", "suka", "sukam", "bos", "bosen", "mol", "kupang", "garut", "jaya",
                    "makmur", "tan", "ba", "sido", "karang", "mekar", "desa", "wono", "sumber", "a"]
        c = self.server.login(support.VIEWER)
        c.get(q("warm"))
        times = []
        for p in prefixes:
            t0 = time.perf_counter()
            st, _, body = c.get(q(p))
            times.append((time.perf_counter() - t0) * 1000)
            self.assertEqual(st, 200, body)
        p50 = statistics.median(times)
        sys.stderr.write("\n  area search over HTTP: p50 %.2f ms, max %.2f ms (%d searches)\n"
                         % (p50, max(times), len(times)))
        self.assertLess(p50, 50.0, "median search time %.1f ms" % p50)

    def test_search_finds_own_sub_areas(self):
        # Oelbubuk is also an official village (53.02.30.2001): both are found.
        st, _, body = self.admin.get(q("oelbubuk"))
        found = {(a["name"], a["official"]) for a in body["items"]}
        self.assertEqual(found, {("Oelbubuk", True), ("Dusun II Oelbubuk", False)})
        st, _, body = self.admin.get(q("dusun iv nenas"))
        self.assertEqual([a["name"] for a in body["items"]], ["Dusun IV Nenas"])

    # -- sub-areas -----------------------------------------------------------------------
    def test_sub_area_life_cycle(self):
        st, h, a = self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Dusun V", "kind": "dusun"})
        self.assertEqual(st, 201, a)
        self.assertEqual(a["parent_id"], self.bosen["id"])
        self.assertEqual(a["level"], 5)
        self.assertFalse(a["official"])
        self.assertTrue(a["full_name"].startswith("Uji Dusun V, Bosen, "), a["full_name"])
        etag = h.get("ETag")
        self.assertEqual(etag, '"v1"')
        path = AREAS + "/%s" % a["id"]
        # A child, so the rename has to carry into its full name.
        st, _, rt = self.admin.post(AREAS, {"parent_id": a["id"], "name": "Uji RT 01", "kind": "rt"})
        self.assertEqual(st, 201, rt)
        self.assertEqual(rt["level"], 6)
        # Same name twice under one parent: conflict.
        self.assertProblem(self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Dusun V"}), 409)

        self.assertProblem(self.admin.patch(path, {"name": "Uji Dusun Lima"}), 428)
        self.assertProblem(self.admin.patch(path, {"name": "Uji Dusun Lima"}, headers={"If-Match": '"v7"'}), 412)
        self.assertProblem(self.admin.patch(path, {"name": "Uji Dusun Lima"}, headers={"If-Match": "v1"}), 412)
        st, h2, a2 = self.admin.patch(path, {"name": "Uji Dusun Lima"}, headers={"If-Match": etag})
        self.assertEqual(st, 200, a2)
        self.assertEqual(a2["name"], "Uji Dusun Lima")
        self.assertEqual(h2.get("ETag"), '"v2"')
        self.assertProblem(self.admin.patch(path, {"name": "Lagi"}, headers={"If-Match": etag}), 412)
        st, _, rt2 = self.admin.get(AREAS + "/%s" % rt["id"])
        self.assertTrue(rt2["full_name"].startswith("Uji RT 01, Uji Dusun Lima, Bosen"), rt2["full_name"])
        st, _, found = self.admin.get(q("lima bosen"))
        self.assertIn(a["id"], [x["id"] for x in found["items"]])

        # Official regions cannot be changed.
        st, vh, _ = self.admin.get(AREAS + "/%s" % self.bosen["id"])
        self.assertProblem(self.admin.patch(AREAS + "/%s" % self.bosen["id"], {"name": "Bosen Baru"},
                                            headers={"If-Match": vh.get("ETag")}), 403)
        self.assertProblem(self.admin.delete(AREAS + "/%s" % self.bosen["id"]), 403)

        # Not while it has a child; then the child, then it.
        self.assertProblem(self.admin.delete(path), 409)
        self.assertEqual(self.admin.delete(AREAS + "/%s" % rt["id"])[0], 204)
        st, _, _ = self.admin.delete(path)
        self.assertEqual(st, 204)
        self.assertProblem(self.admin.get(path), 404)
        self.assertProblem(self.admin.delete(path), 404)
        st, _, kids = self.admin.get(AREAS + "?parent=%s" % self.bosen["id"])
        self.assertNotIn(a["id"], [x["id"] for x in kids["items"]])
        st, _, found = self.admin.get(q("lima bosen"))
        self.assertNotIn(a["id"], [x["id"] for x in found["items"]])

    def test_rename_to_a_sibling_name_is_a_conflict(self):
        # Creating a second "Uji Kembar 1" under one parent is refused (409); renaming another
        # sub-area to that name must be refused the same way.
        st, _, one = self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Kembar 1"})
        self.assertEqual(st, 201, one)
        st, h, two = self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Kembar 2"})
        self.assertEqual(st, 201, two)
        self.assertProblem(self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Kembar 1"}), 409)
        resp = self.admin.patch(AREAS + "/%s" % two["id"], {"name": "Uji Kembar 1"}, headers={"If-Match": h.get("ETag")})
        self.assertProblem(resp, 409)
        st, _, kids = self.admin.get(AREAS + "?parent=%s" % self.bosen["id"])
        names = [a["name"] for a in kids["items"]]
        self.assertEqual(names.count("Uji Kembar 1"), 1, names)

    def test_sub_areas_nest_at_most_four_levels(self):
        parent = self.bosen["id"]
        for level, kind in ((5, "dusun"), (6, "rw"), (7, "rt"), (8, "lainnya")):
            st, _, a = self.admin.post(AREAS, {"parent_id": parent, "name": "Uji Tingkat %d" % level, "kind": kind})
            self.assertEqual(st, 201, a)
            self.assertEqual(a["level"], level)
            parent = a["id"]
        body = self.assertProblem(self.admin.post(AREAS, {"parent_id": parent, "name": "Uji Tingkat 9"}), 422)
        self.assertEqual([e["field"] for e in body["errors"]], ["parent_id"])

    def test_sub_area_under_a_district_is_422(self):
        resp = self.admin.post(AREAS, {"parent_id": self.district["id"], "name": "Uji Salah Tempat"})
        body = self.assertProblem(resp, 422)
        self.assertEqual([e["field"] for e in body["errors"]], ["parent_id"], body)
        self.assertTrue(body["errors"][0]["message"])

    def test_sub_area_validation(self):
        cases = [
            ({"name": "Uji Tanpa Induk"}, "parent_id"),
            ({"parent_id": self.bosen["id"]}, "name"),
            ({"parent_id": self.bosen["id"], "name": "   "}, "name"),
            ({"parent_id": self.bosen["id"], "name": "x" * 121}, "name"),
            ({"parent_id": self.bosen["id"], "name": "Uji\u0001Kontrol"}, "name"),
            ({"parent_id": self.bosen["id"], "name": "Uji Jenis", "kind": "kerajaan"}, "kind"),
            ({"parent_id": "abc", "name": "Uji Id"}, "parent_id"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                p = self.assertProblem(self.admin.post(AREAS, body), 422)
                self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        self.assertProblem(self.admin.post(AREAS, {"parent_id": 999999999, "name": "Uji Hilang"}), 404)

    # -- audit ---------------------------------------------------------------------------
    def test_audit_records_area_create(self):
        st, _, a = self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Audit",
                                           "kind": "lainnya"}, headers={"X-Request-Id": "uji-audit-1"})
        self.assertEqual(st, 201, a)
        st, _, log = self.admin.get(AUDIT + "?action=area.create&limit=5")
        self.assertEqual(st, 200, log)
        self.assertTrue(all(e["action"] == "area.create" for e in log["items"]))
        e = log["items"][0]  # newest first
        self.assertEqual(e["object_type"], "area")
        self.assertEqual(e["object_id"], a["id"])
        self.assertIsNone(e["before"])
        self.assertEqual(e["after"]["name"], "Uji Audit")
        self.assertEqual(e["after"]["parent_id"], self.bosen["id"])
        self.assertEqual(e["actor"], support.ADMIN)
        self.assertTrue(e["actor_user_id"])
        self.assertEqual(e["request_id"], "uji-audit-1")
        self.assertEqual(e["ip"], "127.0.0.1")
        self.assertTrue(e["at"].endswith("Z"), e["at"])

        st, h, cur = self.admin.get(AREAS + "/%s" % a["id"])
        st, _, _ = self.admin.patch(AREAS + "/%s" % a["id"], {"name": "Uji Audit Dua"},
                                    headers={"If-Match": h.get("ETag")})
        self.assertEqual(st, 200)
        self.assertEqual(self.admin.delete(AREAS + "/%s" % a["id"])[0], 204)
        st, _, log = self.admin.get(AUDIT + "?object_type=area&object_id=%s" % a["id"])
        self.assertEqual([x["action"] for x in log["items"]], ["area.delete", "area.update", "area.create"])
        upd = log["items"][1]
        self.assertEqual((upd["before"]["name"], upd["after"]["name"]), ("Uji Audit", "Uji Audit Dua"))
        self.assertEqual(log["items"][0]["before"]["name"], "Uji Audit Dua")
        self.assertIsNone(log["items"][0]["after"])
        # Action prefix filter.
        st, _, log = self.admin.get(AUDIT + "?action=area.&limit=500")
        actions = {x["action"] for x in log["items"]}
        self.assertTrue({"area.create", "area.update", "area.delete"} <= actions, actions)
        self.assertTrue(all(x.startswith("area.") for x in actions), actions)

    def test_audit_cursor_paging(self):
        for i in range(5):
            st, _, _ = self.admin.post(AREAS, {"parent_id": self.bosen["id"], "name": "Uji Halaman %d" % i})
            self.assertEqual(st, 201)
        st, _, everything = self.admin.get(AUDIT + "?object_type=area&limit=500")
        self.assertEqual(st, 200)
        all_ids = [e["id"] for e in everything["items"]]
        self.assertGreaterEqual(len(all_ids), 9)  # the 4 demo dusun and the 5 made here
        self.assertEqual(len(all_ids), len(set(all_ids)))
        self.assertEqual(all_ids, sorted(all_ids, key=int, reverse=True), "newest first")
        paged, cursor, pages = [], None, 0
        while True:
            path = AUDIT + "?object_type=area&limit=4" + ("&cursor=%s" % cursor if cursor else "")
            st, _, page = self.admin.get(path)
            self.assertEqual(st, 200, page)
            self.assertLessEqual(len(page["items"]), 4)
            paged += [e["id"] for e in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
            self.assertLess(pages, 100, "paging does not end")
        self.assertEqual(paged, all_ids)
        self.assertProblem(self.admin.get(AUDIT + "?cursor=abc"), 400)
        self.assertProblem(self.admin.get(AUDIT + "?since=yesterday"), 400)

    def test_audit_time_filter(self):
        st, _, log = self.admin.get(AUDIT + "?since=2000-01-01&until=2000-01-02")
        self.assertEqual(st, 200, log)
        self.assertEqual(log["items"], [])
        st, _, log = self.admin.get(AUDIT + "?since=2000-01-01T00:00:00Z&limit=1")
        self.assertEqual(len(log["items"]), 1)

    def test_audit_log_cannot_be_changed(self):
        for method in ("PUT", "PATCH", "DELETE", "POST"):
            with self.subTest(method=method):
                resp = self.admin.request(method, AUDIT, {"action": "x"} if method != "DELETE" else None)
                self.assertProblem(resp, 405)
                allow = {m.strip() for m in (resp[1].get("Allow") or "").split(",")}
                self.assertEqual(allow - {"HEAD"}, {"GET"})
        st, _, log = self.admin.get(AUDIT + "?limit=1")
        eid = log["items"][0]["id"]
        for method in ("GET", "PUT", "PATCH", "DELETE"):
            st, _, _ = self.admin.request(method, AUDIT + "/%s" % eid, {"action": "x"} if method in ("PUT", "PATCH") else None)
            self.assertIn(st, (404, 405), "%s %s/%s answered %s" % (method, AUDIT, eid, st))
        st, _, log2 = self.admin.get(AUDIT + "?limit=1")
        self.assertEqual(log2["items"][0], log["items"][0])


if __name__ == "__main__":
    unittest.main()
