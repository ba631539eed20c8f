#include "domain/exports.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <boost/json.hpp>
#include <map>

#include "base/error.hpp"
#include "domain/forms.hpp"
#include "domain/test_support.hpp"
#include "forms/xform/record.hpp"

namespace gotong::domain {

using testing::TestDatabase;
namespace xform = gotong::forms::xform;

namespace {

// A household form in two languages: a select_one and a select_multiple with labels, a group
// holding a repeat of members with a nested repeat of visits. Version "1" has `old_q` after the
// village; version "2" drops it and adds `new_q` at the end.
std::string household_form(const std::string& version) {
  const bool v1 = version == "1";
  return std::string(R"XF(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Rumah tangga</h:title>
  <model>
   <itext>
    <translation lang="English (en)" default="true()">
     <text id="w-piped"><value>Piped</value></text><text id="w-well"><value>Well</value></text>
     <text id="a-food"><value>Food, rice</value></text><text id="a-cash"><value>Cash "BLT"</value></text>
    </translation>
    <translation lang="Bahasa Indonesia (id)">
     <text id="w-piped"><value>Perpipaan</value></text><text id="w-well"><value>Sumur</value></text>
     <text id="a-food"><value>Sembako</value></text><text id="a-cash"><value>Bantuan tunai</value></text>
    </translation>
   </itext>
   <instance>
    <rt id="rumah_tangga" version=")XF") +
         version + R"XF(">
     <village/>)XF" +
         (v1 ? "<old_q/>" : "") + R"XF(<water/><aid/>
     <household><size/>
      <member jr:template=""><name/><age/><visit jr:template=""><date/><reason/></visit></member>
     </household>)XF" +
         (v1 ? "" : "<new_q/>") + R"XF(
     <meta><instanceID/></meta>
    </rt>
   </instance>
   <bind nodeset="/rt/household/size" type="int"/>
   <bind nodeset="/rt/household/member/age" type="int"/>
   <bind nodeset="/rt/household/member/visit/date" type="date"/>
   <bind nodeset="/rt/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
  </model>
 </h:head>
 <h:body>
  <input ref="/rt/village"><label>Desa</label></input>
  <select1 ref="/rt/water"><label>Air</label>
   <item><label ref="jr:itext('w-piped')"/><value>piped</value></item>
   <item><label ref="jr:itext('w-well')"/><value>well</value></item>
  </select1>
  <select ref="/rt/aid"><label>Bantuan</label>
   <item><label ref="jr:itext('a-food')"/><value>food</value></item>
   <item><label ref="jr:itext('a-cash')"/><value>cash</value></item>
  </select>
  <group ref="/rt/household"><input ref="/rt/household/size"/>
   <group ref="/rt/household/member"><repeat nodeset="/rt/household/member">
    <input ref="/rt/household/member/name"/><input ref="/rt/household/member/age"/>
    <group ref="/rt/household/member/visit"><repeat nodeset="/rt/household/member/visit">
     <input ref="/rt/household/member/visit/date"/><input ref="/rt/household/member/visit/reason"/>
    </repeat></group>
   </repeat></group>
  </group>
 </h:body>
</h:html>)XF";
}

struct Fixture {
  TestDatabase t;
  OrgScope s = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  std::int64_t form_id = 0;
  std::map<std::string, std::int64_t> version_ids;  // version string → id
  std::map<std::string, xform::Schema> schemas;

  void publish(const std::string& version) {
    auto upload = forms::make_upload("rumah_tangga.xml", household_form(version));
    t.db().write([&](db::Connection& c) {
      form_id = forms::save_draft(c, s, upload).id;
      forms::publish(c, s, form_id);
      for (const auto& v : forms::versions(c, s, form_id)) version_ids[v.version] = v.id;
    });
    schemas[version] = xform::read_schema(household_form(version));
  }

  // Stores a submission as receive() would, with its record.
  void add(const std::string& version, const std::string& id, const std::string& body,
           const std::string& state = "received", std::int64_t at = 1767225600000 /* 2026-01-01 */,
           bool deleted = false, int issues = 0) {
    std::string xml = "<rt id=\"rumah_tangga\" version=\"" + version + "\">" + body + "<meta><instanceID>" +
                      id + "</instanceID></meta></rt>";
    const auto& schema = schemas.at(version);
    std::string record = xform::encode_record(schema, xform::layout_of(schema), xform::read_submission(xml));
    std::string issues_json = "[";
    for (int i = 0; i < issues; ++i)
      issues_json += (i ? "," : "") + std::string(R"({"path":"/rt/x","rule":"required","message":"m"})");
    issues_json += "]";
    t.db().write([&](db::Connection& c) {
      auto sid = c.query_int(
          "INSERT INTO submissions(org_id, form_id, version_id, instance_id, current_instance_id, "
          "content_digest, "
          "state, issues_json, record, submitter_id, device_id, source, submitted_at, updated_at, "
          "deleted_at) "
          "VALUES ($1,$2,$3,$4,$4,'d',$5,$6,$7,$8,'collect:1','api',$9,$9,$10) RETURNING id",
          {s.org_id(), form_id, version_ids.at(version), id, state, issues_json, record, s.actor().user_id, at,
           deleted ? db::Value(at) : db::Value()});
      c.exec("INSERT INTO submission_xml(submission_id, org_id, xml) VALUES ($1,$2,$3)", {*sid, s.org_id(), xml});
    });
  }

  std::string run(exports::Format f, const exports::Options& o = {}, std::size_t* largest = nullptr) {
    auto e = exports::start(t.db(), s, form_id, f, o);
    std::string all, piece;
    for (;;) {
      piece.clear();
      bool more = e.next(piece);
      all += piece;
      if (largest) *largest = std::max(*largest, piece.size());
      if (!more) break;
    }
    return all;
  }
};

// The files of a zip, read with libzip (a reader independent of our writer) checking the
// consistency of local and central headers.
std::map<std::string, std::string> unzip(const std::string& bytes) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : nullptr;
  if (!z) {
    std::string msg = zip_error_strerror(&err);
    if (src) zip_source_free(src);
    zip_error_fini(&err);
    throw std::runtime_error("not a zip: " + msg);
  }
  std::map<std::string, std::string> files;
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    std::string data(st.size, '\0');
    if (zip_fread(f, data.data(), st.size) != static_cast<zip_int64_t>(st.size))
      throw std::runtime_error("short read");
    zip_fclose(f);  // checks the CRC
    files[st.name] = data;
  }
  zip_close(z);
  zip_error_fini(&err);
  return files;
}

using Table = std::vector<std::vector<std::string>>;

// RFC 4180 reading, strict: quotes only around whole fields, CRLF line ends.
Table parse_csv(std::string text, bool expect_bom = true) {
  if (expect_bom) {
    if (text.rfind("\xEF\xBB\xBF", 0) != 0) throw std::runtime_error("no BOM");
    text.erase(0, 3);
  }
  Table rows;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) throw std::runtime_error("unterminated quote");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
    }
    while (i < text.size() && text[i] != ',' && text[i] != '\r') {
      if (text[i] == '"' || text[i] == '\n')
        throw std::runtime_error("bare quote or LF in an unquoted field");
      field += text[i++];
    }
    row.push_back(field);
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (text.compare(i, 2, "\r\n") != 0) throw std::runtime_error("a line not ending in CRLF");
    i += 2;
    rows.push_back(row);
    row.clear();
  }
  return rows;
}

using Row = std::vector<std::string>;

const char* const kAni =
    "<village>Bosen, \"Mollo\"\nUtara</village><water>well</water><aid>food cash</aid>"
    "<household><size>3</size>"
    "<member><name>Ani Ṣuáręż</name><age>34</age>"
    "<visit><date>2026-01-02</date><reason>demam</reason></visit><visit><date>2026-02-03</"
    "date><reason>batuk</reason></visit></member>"
    "<member><name>Budi</name><age>9</age></member>"
    "<member><name>Citra</name><visit><date>2026-03-04</date></visit></member>"
    "</household><new_q>baru</new_q>";

}  // namespace

TEST(Exports, CsvZipLaysOutMainAndRepeatFilesLikeCentral) {
  Fixture f;
  f.publish("1");
  f.add("1", "uuid:old", "<village>Sebot</village><old_q>lama</old_q><water>piped</water>", "approved",
        1767139200000, false, 2);
  f.publish("2");
  f.add("2", "uuid:ani", kAni);
  f.add("2", "uuid:gone", "<village>Deleted</village>", "received", 1767225600000, true);
  auto files = unzip(f.run(exports::Format::csv_zip));
  ASSERT_EQ(files.size(), 3u);
  auto main = parse_csv(files.at("rumah_tangga.csv"));
  // Union of the versions in the newest order, the dropped question beside its old neighbour.
  EXPECT_EQ(main.at(0), (Row{"SubmissionDate", "village", "old_q", "water", "aid", "household-size", "new_q",
                             "meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "DeviceID",
                             "ReviewState", "FormVersion", "IssueCount"}));
  ASSERT_EQ(main.size(), 3u);  // the deleted submission is left out
  const std::string uid = std::to_string(f.s.actor().user_id);
  EXPECT_EQ(main[1], (Row{"2025-12-31T00:00:00.000Z", "Sebot", "lama", "piped", "", "", "", "uuid:old",
                          "uuid:old", uid, "User c@alpha.id", "collect:1", "approved", "1", "2"}));
  EXPECT_EQ(main[2],
            (Row{"2026-01-01T00:00:00.000Z", "Bosen, \"Mollo\"\nUtara", "", "well", "food cash", "3", "baru",
                 "uuid:ani", "uuid:ani", uid, "User c@alpha.id", "collect:1", "received", "2", "0"}));

  auto members = parse_csv(files.at("rumah_tangga-member.csv"));
  EXPECT_EQ(members, (Table{{"name", "age", "PARENT_KEY", "KEY"},
                            {"Ani Ṣuáręż", "34", "uuid:ani", "uuid:ani/household/member[1]"},
                            {"Budi", "9", "uuid:ani", "uuid:ani/household/member[2]"},
                            {"Citra", "", "uuid:ani", "uuid:ani/household/member[3]"}}));
  auto visits = parse_csv(files.at("rumah_tangga-visit.csv"));
  EXPECT_EQ(
      visits,
      (Table{{"date", "reason", "PARENT_KEY", "KEY"},
             {"2026-01-02", "demam", "uuid:ani/household/member[1]", "uuid:ani/household/member[1]/visit[1]"},
             {"2026-02-03", "batuk", "uuid:ani/household/member[1]", "uuid:ani/household/member[1]/visit[2]"},
             {"2026-03-04", "", "uuid:ani/household/member[3]", "uuid:ani/household/member[3]/visit[1]"}}));
  // Every PARENT_KEY is the KEY of a row of the parent file.
  for (std::size_t i = 1; i < visits.size(); ++i) {
    bool found = false;
    for (std::size_t j = 1; j < members.size(); ++j) found = found || members[j][3] == visits[i][2];
    EXPECT_TRUE(found) << visits[i][2];
  }
}

TEST(Exports, FiltersPagesAndOptions) {
  Fixture f;
  f.publish("2");
  for (int i = 0; i < 7; ++i)
    f.add("2", "uuid:" + std::to_string(i),
          "<village>v" + std::to_string(i) + "</village><water>well</water><aid>cash</aid>",
          i % 2 ? "approved" : "received", 1767225600000 + i * 86400000LL);
  auto keys = [&](const exports::Options& o) {
    std::vector<std::string> out;
    auto rows = parse_csv(unzip(f.run(exports::Format::csv_zip, o)).at("rumah_tangga.csv"), o.bom);
    for (std::size_t i = 1; i < rows.size(); ++i) out.push_back(rows[i][1]);
    return out;
  };
  exports::Options o;
  EXPECT_EQ(keys(o).size(), 7u);
  o.page_size = 2;  // four pages, the last one short
  EXPECT_EQ(keys(o), (std::vector<std::string>{"v0", "v1", "v2", "v3", "v4", "v5", "v6"}));
  o.states = {"approved"};
  EXPECT_EQ(keys(o), (std::vector<std::string>{"v1", "v3", "v5"}));
  o.states.clear();
  o.from = 1767225600000 + 2 * 86400000LL;
  o.to = 1767225600000 + 4 * 86400000LL;
  EXPECT_EQ(keys(o), (std::vector<std::string>{"v2", "v3"}));
  o = {};
  o.submitter_id = f.s.actor().user_id + 1000;
  EXPECT_TRUE(keys(o).empty());
  o = {};
  o.bom = false;
  EXPECT_EQ(keys(o).size(), 7u);

  o = {};
  o.states = {"bogus"};
  EXPECT_THROW(f.run(exports::Format::csv_zip, o), Error);
}

TEST(Exports, ChoiceLabelsInEachLanguageSplitMultipleAndShortHeaders) {
  Fixture f;
  f.publish("2");
  f.add("2", "uuid:ani", kAni);
  exports::Options o;
  o.choice_labels = true;
  o.split_multiple = true;
  o.group_names = false;
  auto rows = parse_csv(unzip(f.run(exports::Format::csv_zip, o)).at("rumah_tangga.csv"));
  EXPECT_EQ(rows[0], (Row{"SubmissionDate", "village", "water", "aid", "aid/food", "aid/cash", "size",
                          "new_q", "instanceID", "KEY", "SubmitterID", "SubmitterName", "DeviceID",
                          "ReviewState", "FormVersion", "IssueCount"}));
  EXPECT_EQ(rows[1][2], "Well");
  EXPECT_EQ(rows[1][3], "Food, rice; Cash \"BLT\"");
  EXPECT_EQ(rows[1][4], "1");
  EXPECT_EQ(rows[1][5], "1");
  o.lang = "id";
  rows = parse_csv(unzip(f.run(exports::Format::csv_zip, o)).at("rumah_tangga.csv"));
  EXPECT_EQ(rows[1][2], "Sumur");
  EXPECT_EQ(rows[1][3], "Sembako; Bantuan tunai");
  o.lang = "Bahasa Indonesia (id)";
  EXPECT_EQ(parse_csv(unzip(f.run(exports::Format::csv_zip, o)).at("rumah_tangga.csv"))[1][2], "Sumur");
  o.lang = "klingon";
  EXPECT_THROW(f.run(exports::Format::csv_zip, o), Error);
}

TEST(Exports, JsonNestsGroupsAndRepeats) {
  Fixture f;
  f.publish("2");
  f.add("2", "uuid:ani", kAni);
  f.add("2", "uuid:empty", "");
  auto doc = boost::json::parse(f.run(exports::Format::json)).as_array();
  ASSERT_EQ(doc.size(), 2u);
  const auto& ani = doc[0].as_object();
  EXPECT_EQ(ani.at("__id"), "uuid:ani");
  EXPECT_EQ(ani.at("__system").at("reviewState"), "received");
  EXPECT_EQ(ani.at("__system").at("formVersion"), "2");
  EXPECT_EQ(ani.at("village"), "Bosen, \"Mollo\"\nUtara");
  EXPECT_EQ(ani.at("household").at("size"), 3);  // an int field as a number
  const auto& members = ani.at("household").at("member").as_array();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].at("__id"), "uuid:ani/household/member[1]");
  EXPECT_EQ(members[0].at("name"), "Ani Ṣuáręż");
  EXPECT_EQ(members[0].at("visit").as_array().size(), 2u);
  EXPECT_EQ(members[0].at("visit").at(1).at("reason"), "batuk");
  EXPECT_EQ(members[1].at("visit").as_array().size(), 0u);
  EXPECT_TRUE(members[2].at("age").is_null());
  EXPECT_EQ(members[2].at("visit").at(0).at("__id"), "uuid:ani/household/member[3]/visit[1]");
  const auto& empty = doc[1].as_object();
  EXPECT_TRUE(empty.at("village").is_null());
  EXPECT_EQ(empty.at("household").at("member").as_array().size(), 0u);
}

TEST(Exports, XlsxHasASheetPerRepeat) {
  Fixture f;
  f.publish("2");
  f.add("2", "uuid:ani", kAni);
  auto files = unzip(f.run(exports::Format::xlsx));
  const std::string& workbook = files.at("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"rumah_tangga\""), std::string::npos);
  EXPECT_NE(workbook.find("name=\"member\""), std::string::npos);
  EXPECT_NE(workbook.find("name=\"visit\""), std::string::npos);
  const std::string& sheet1 = files.at("xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet1.find("household-size"), std::string::npos);
  EXPECT_NE(sheet1.find("<v>3</v>"), std::string::npos);  // a number cell
  const std::string& sheet3 = files.at("xl/worksheets/sheet3.xml");
  EXPECT_NE(sheet3.find("uuid:ani/household/member[3]/visit[1]"), std::string::npos);
}

TEST(Exports, AFormWithoutSubmissionsHasHeadersOnlyAndOtherOrganisationsSeeNothing) {
  Fixture f;
  f.publish("2");
  auto files = unzip(f.run(exports::Format::csv_zip));
  EXPECT_EQ(parse_csv(files.at("rumah_tangga.csv")).size(), 1u);
  EXPECT_EQ(parse_csv(files.at("rumah_tangga-visit.csv")), (Table{{"date", "reason", "PARENT_KEY", "KEY"}}));
  EXPECT_EQ(f.run(exports::Format::json), "[]\n");
  EXPECT_EQ(unzip(f.run(exports::Format::xlsx)).count("xl/worksheets/sheet3.xml"), 1u);

  auto other = f.t.org_with_member("beta", Role::admin, "a@beta.id");
  try {
    exports::start(f.t.db(), other, f.form_id, exports::Format::csv_zip, {});
    FAIL() << "another organisation's form was exported";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
}

TEST(Exports, PiecesStaySmallWhateverTheNumberOfSubmissions) {
  Fixture f;
  f.publish("2");
  for (int i = 0; i < 600; ++i) f.add("2", "uuid:" + std::to_string(i), kAni);
  exports::Options o;
  o.page_size = 50;
  std::size_t largest = 0;
  std::string all = f.run(exports::Format::json, o, &largest);
  EXPECT_GT(all.size(), 8 * largest) << "one piece held most of the file";
  EXPECT_EQ(boost::json::parse(all).as_array().size(), 600u);
  auto files = unzip(f.run(exports::Format::csv_zip, o));
  EXPECT_EQ(parse_csv(files.at("rumah_tangga.csv")).size(), 601u);
  EXPECT_EQ(parse_csv(files.at("rumah_tangga-visit.csv")).size(), 1801u);
}

// Answers typed into a survey are data: a spreadsheet opening the CSV shows them and runs none
// of them, while numbers (negative ones, geopoints south of the equator) stay numbers. JSON keeps
// every answer exactly as typed.
TEST(Exports, CsvCellsNeverRunAsSpreadsheetFormulas) {
  Fixture f;
  f.publish("2");
  f.add("2", "uuid:f1",
        "<village>=1+cmd|' /C calc'!A0</village><water>@SUM(A1)</water><household><size>-3</size>"
        "<member><name>+62 812-3456-7890</name><age>-2+A1</age></member>"
        "<member><name>-8.5 124.3 0 5</name><age>\t=2</age></member></household><new_q>- fine -</new_q>");
  auto files = unzip(f.run(exports::Format::csv_zip));
  auto main = parse_csv(files.at("rumah_tangga.csv"));
  ASSERT_EQ(main.size(), 2u);
  EXPECT_EQ(main[1][1], "'=1+cmd|' /C calc'!A0");
  EXPECT_EQ(main[1][2], "'@SUM(A1)");
  EXPECT_EQ(main[1][4], "-3");
  EXPECT_EQ(main[1][5], "'- fine -");
  auto members = parse_csv(files.at("rumah_tangga-member.csv"));
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[1][0], "+62 812-3456-7890");
  EXPECT_EQ(members[1][1], "'-2+A1");
  EXPECT_EQ(members[2][0], "-8.5 124.3 0 5");
  EXPECT_EQ(members[2][1], "'\t=2");
  const std::string json = f.run(exports::Format::json);
  EXPECT_NE(json.find("\"=1+cmd|' /C calc'!A0\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"-2+A1\""), std::string::npos) << json;
}

}  // namespace gotong::domain
