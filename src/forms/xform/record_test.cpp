#include "forms/xform/record.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "forms/xlsform/convert.hpp"

namespace gotong::forms::xform {

namespace {

// A household survey: top-level fields before and after a group holding a repeat of members,
// each with a non-repeat group and a nested repeat of visits; a select_multiple; meta.
const char* const kForm = R"XF(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Rumah tangga</h:title>
  <model>
   <instance>
    <rt id="rumah_tangga" version="3">
     <village/><head_name/>
     <household>
      <size/>
      <member jr:template="">
       <name/>
       <bio><age/><sex/></bio>
       <health><visit jr:template=""><date/><reason/></visit></health>
       <notes/>
      </member>
     </household>
     <water/><comment/>
     <meta><instanceID/></meta>
    </rt>
   </instance>
   <bind nodeset="/rt/household/member/bio/age" type="int"/>
   <bind nodeset="/rt/household/member/health/visit/date" type="date"/>
   <bind nodeset="/rt/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
  </model>
 </h:head>
 <h:body>
  <input ref="/rt/village"><label>Desa</label></input>
  <input ref="/rt/head_name"><label>Kepala keluarga</label></input>
  <group ref="/rt/household"><label>Rumah tangga</label>
   <input ref="/rt/household/size"><label>Jumlah</label></input>
   <group ref="/rt/household/member"><repeat nodeset="/rt/household/member">
    <input ref="/rt/household/member/name"/>
    <group ref="/rt/household/member/bio">
     <input ref="/rt/household/member/bio/age"/>
     <select1 ref="/rt/household/member/bio/sex"><item><label>L</label><value>m</value></item><item><label>P</label><value>f</value></item></select1>
    </group>
    <group ref="/rt/household/member/health"><repeat nodeset="/rt/household/member/health/visit">
     <input ref="/rt/household/member/health/visit/date"/>
     <input ref="/rt/household/member/health/visit/reason"/>
    </repeat></group>
    <input ref="/rt/household/member/notes"/>
   </repeat></group>
  </group>
  <select ref="/rt/water"><item><label>Pipa</label><value>piped</value></item><item><label>Sumur</label><value>well</value></item></select>
  <input ref="/rt/comment"/>
 </h:body>
</h:html>)XF";

const Schema& schema() {
  static const Schema s = read_schema(kForm);
  return s;
}
const Layout& layout() {
  static const Layout l = layout_of(schema());
  return l;
}

struct Decoded {
  int table;
  std::string key;
  std::vector<std::string> values;
};

std::vector<Decoded> decode(std::string_view record) {
  std::vector<Decoded> out;
  RecordReader reader(record);
  RecordRow row;
  while (reader.next(row))
    out.push_back({row.table, std::string(row.key), {row.values.begin(), row.values.end()}});
  return out;
}

std::string encode(const std::string& xml) { return encode_record(schema(), layout(), read_submission(xml)); }

int column(const char* path) { return layout().column_of[static_cast<std::size_t>(schema().index_of(path))]; }

using V = std::vector<std::string>;

}  // namespace

TEST(Record, LayoutHasOneTablePerRepeatWithTheFieldsOfItsGroups) {
  const Layout& l = layout();
  ASSERT_EQ(l.tables.size(), 3u);
  EXPECT_EQ(l.tables[0].repeat_node, -1);
  EXPECT_EQ(l.tables[0].parent_table, -1);
  EXPECT_EQ(l.tables[0].path, "/rt");
  EXPECT_EQ(l.tables[1].path, "/rt/household/member");
  EXPECT_EQ(l.tables[1].name, "member");
  EXPECT_EQ(l.tables[1].parent_table, 0);
  EXPECT_EQ(l.tables[2].path, "/rt/household/member/health/visit");
  EXPECT_EQ(l.tables[2].parent_table, 1);
  auto paths = [&](const Table& t) {
    V out;
    for (int f : t.fields) out.push_back(schema().nodes[static_cast<std::size_t>(f)].path);
    return out;
  };
  // Fields of non-repeat groups belong to the enclosing table, in document order.
  EXPECT_EQ(paths(l.tables[0]), (V{"/rt/village", "/rt/head_name", "/rt/household/size", "/rt/water",
                                   "/rt/comment", "/rt/meta/instanceID"}));
  EXPECT_EQ(paths(l.tables[1]), (V{"/rt/household/member/name", "/rt/household/member/bio/age",
                                   "/rt/household/member/bio/sex", "/rt/household/member/notes"}));
  EXPECT_EQ(paths(l.tables[2]),
            (V{"/rt/household/member/health/visit/date", "/rt/household/member/health/visit/reason"}));
  EXPECT_EQ(column("/rt/water"), 3);
  EXPECT_EQ(l.table_of[static_cast<std::size_t>(schema().index_of("/rt/household/member/bio/sex"))], 1);
  EXPECT_EQ(l.table_of[static_cast<std::size_t>(schema().index_of("/rt/household/member"))], 1);
  EXPECT_EQ(l.table_of[static_cast<std::size_t>(schema().index_of("/rt/household"))], -1);
  EXPECT_EQ(l.column_of[static_cast<std::size_t>(schema().index_of("/rt/household/member"))], -1);
}

TEST(Record, RowsFollowDocumentOrderWithNestedRepeatKeys) {
  std::string record = encode(R"(<rt id="rumah_tangga" version="3">
    <village>Bosen</village><head_name>Yohanes</head_name>
    <household><size>3</size>
     <member><name>Ani</name><bio><age>34</age><sex>f</sex></bio>
      <health><visit><date>2026-01-02</date><reason>demam</reason></visit>
              <visit><date>2026-02-03</date><reason>batuk</reason></visit></health>
      <notes>ibu</notes></member>
     <member><name>Budi</name><bio><age>9</age><sex>m</sex></bio><health/><notes/></member>
     <member><name>Citra</name><health><visit><date>2026-03-04</date></visit></health></member>
    </household>
    <water>piped well</water><comment>baik</comment>
    <meta><instanceID>uuid:1</instanceID></meta></rt>)");
  auto rows = decode(record);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0].table, 0);
  EXPECT_EQ(rows[0].key, "");
  // The main row holds the fields after the repeat too.
  EXPECT_EQ(rows[0].values, (V{"Bosen", "Yohanes", "3", "piped well", "baik", "uuid:1"}));
  EXPECT_EQ(rows[1].table, 1);
  EXPECT_EQ(rows[1].key, "household/member[1]");
  EXPECT_EQ(rows[1].values, (V{"Ani", "34", "f", "ibu"}));
  EXPECT_EQ(rows[2].table, 2);
  EXPECT_EQ(rows[2].key, "household/member[1]/health/visit[1]");
  EXPECT_EQ(rows[2].values, (V{"2026-01-02", "demam"}));
  EXPECT_EQ(rows[3].key, "household/member[1]/health/visit[2]");
  EXPECT_EQ(rows[3].values, (V{"2026-02-03", "batuk"}));
  EXPECT_EQ(rows[4].key, "household/member[2]");
  EXPECT_EQ(rows[4].values, (V{"Budi", "9", "m", ""}));
  EXPECT_EQ(rows[5].key, "household/member[3]");
  EXPECT_EQ(rows[5].values, (V{"Citra", "", "", ""}));  // missing group: unanswered
  EXPECT_EQ(rows[6].table, 2);
  EXPECT_EQ(rows[6].key, "household/member[3]/health/visit[1]");  // positions count per parent
  EXPECT_EQ(rows[6].values, (V{"2026-03-04", ""}));
  EXPECT_EQ(parent_key(rows[6].key), "household/member[3]");
  EXPECT_EQ(parent_key(rows[1].key), "");
  // main_value reads the main row without decoding the rest.
  for (std::size_t c = 0; c < rows[0].values.size(); ++c)
    EXPECT_EQ(main_value(record, static_cast<int>(c)), rows[0].values[c]) << c;
  EXPECT_EQ(main_value(record, column("/rt/water")), "piped well");
  EXPECT_EQ(main_value(record, 6), "");
  EXPECT_EQ(main_value(record, 100), "");
}

TEST(Record, KeepsSeparatorsNewlinesAndUnicodeOutOfTheWay) {
  std::string record = encode(
      "<rt id='rumah_tangga'><village>Kampung \"Baru\", RT 01;&#13;\nRW 02</village>"
      "<head_name>Nyoman Ṣuáręż 🌾 中文</head_name>"
      "<household><member><name>a&#31;b&#30;c&#9;d</name></member></household>"
      "<comment>,\"\n</comment><meta><instanceID>uuid:2</instanceID></meta></rt>");
  auto rows = decode(record);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].values[0], "Kampung \"Baru\", RT 01;\r\nRW 02");
  EXPECT_EQ(rows[0].values[1], "Nyoman Ṣuáręż 🌾 中文");
  EXPECT_EQ(rows[0].values[4], ",\"\n");
  // Control characters that XML 1.0 forbids but a parser let through become spaces.
  EXPECT_EQ(rows[1].values[0], "a b c\td");
  EXPECT_EQ(main_value(record, 4), ",\"\n");
}

TEST(Record, MissingExtraAndDuplicatedElements) {
  // No household at all, an element the form does not know, a field given twice, a repeat
  // template sent by a careless client, and the meta group spelled with a prefix.
  std::string record = encode(
      "<rt id='rumah_tangga' xmlns:orx='http://openrosa.org/xforms'><surprise>x</surprise>"
      "<head_name>first</head_name><head_name>second</head_name>"
      "<household><member jr:template='' xmlns:jr='http://openrosa.org/javarosa'><name>tpl</name></member>"
      "<member><name>real</name><extra><deep>1</deep></extra></member></household>"
      "<orx:meta><orx:instanceID>uuid:3</orx:instanceID></orx:meta></rt>");
  auto rows = decode(record);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].values, (V{"", "first", "", "", "", "uuid:3"}));
  EXPECT_EQ(rows[1].key, "household/member[1]");
  EXPECT_EQ(rows[1].values, (V{"real", "", "", ""}));

  // An empty submission still has its main row, every value unanswered.
  auto empty = decode(encode("<rt id='rumah_tangga'><meta><instanceID>uuid:4</instanceID></meta></rt>"));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].values, (V{"", "", "", "", "", "uuid:4"}));
}

TEST(Record, RefusesDamagedRecords) {
  auto read_all = [](std::string_view r) { return decode(r).size(); };
  EXPECT_EQ(read_all("a\x1f"
                     "b"),
            1u);
  EXPECT_THROW(read_all("a\x1e"), XFormError);  // ends with a separator
  EXPECT_THROW(read_all("a\x1e"
                        "1"),
               XFormError);  // no key
  EXPECT_THROW(read_all("a\x1e"
                        "x\x1f"
                        "k\x1f"
                        "v"),
               XFormError);  // table not a number
  EXPECT_THROW(read_all("a\x1e\x1f"
                        "k\x1f"
                        "v"),
               XFormError);  // no table
  EXPECT_EQ(read_all("a\x1e"
                     "1\x1f"
                     "m[1]\x1f"
                     "v"),
            2u);
}

// The corpus: its XForms and every XLSForm that converts.
std::vector<std::pair<std::filesystem::path, std::string>> corpus_xforms() {
  std::vector<std::pair<std::filesystem::path, std::string>> out;
  const std::string dir = std::string(GOTONG_TEST_DATA_DIR) + "/xlsform/";
  for (const char* sub : {"test_expected_output", "example_xls"})
    for (const auto& e : std::filesystem::directory_iterator(dir + sub)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string bytes = ss.str();
      if (e.path().extension() == ".xml") {
        out.emplace_back(e.path(), bytes);
      } else if (e.path().extension() == ".xls" || e.path().extension() == ".xlsx") {
        auto r = xlsform::convert(std::as_bytes(std::span(bytes.data(), bytes.size())),
                                  e.path().filename().string());
        if (r.ok()) out.emplace_back(e.path(), r.xform_xml);
      }
    }
  return out;
}

// Every form of the XLSForm corpus: a submission with every field answered and two instances of
// every repeat decodes to exactly those values, at the columns the layout gives.
TEST(Record, RoundTripsEveryCorpusForm) {
  int forms = 0, with_repeats = 0;
  for (const auto& [path, text] : corpus_xforms()) {
    const auto* e = &path;
    Schema s;
    try {
      s = read_schema(text);
    } catch (const XFormError&) {
      continue;
    }
    Layout l = layout_of(s);
    // Value of field i in an instance: "<i>-<instance path>" keeps every value distinct.
    std::string xml;
    std::vector<Decoded> expected;
    std::function<void(int, int, const std::string&, const std::string&)> emit =
        [&](int ni, int row, const std::string& key, const std::string& tag) {
          const Node& n = s.nodes[static_cast<std::size_t>(ni)];
          for (int ci : n.children) {
            const Node& c = s.nodes[static_cast<std::size_t>(ci)];
            if (c.kind == NodeKind::field) {
              std::string v = std::to_string(ci) + "-" + tag + " <&>";
              xml += "<" + c.name + ">" + std::to_string(ci) + "-" + tag + " &lt;&amp;&gt;</" + c.name + ">";
              expected[static_cast<std::size_t>(row)]
                  .values[static_cast<std::size_t>(l.column_of[static_cast<std::size_t>(ci)])] = v;
            } else if (c.kind == NodeKind::group) {
              xml += "<" + c.name + ">";
              emit(ci, row, key + c.name + "/", tag);
              xml += "</" + c.name + ">";
            } else {
              for (int i = 1; i <= 2; ++i) {
                std::string k = key + c.name + "[" + std::to_string(i) + "]";
                int table = l.table_of[static_cast<std::size_t>(ci)];
                expected.push_back({table, k, V(l.tables[static_cast<std::size_t>(table)].fields.size())});
                xml += "<" + c.name + ">";
                emit(ci, static_cast<int>(expected.size()) - 1, k + "/", tag + "." + std::to_string(i));
                xml += "</" + c.name + ">";
              }
            }
          }
        };
    expected.push_back({0, "", V(l.tables[0].fields.size())});
    xml = "<" + s.root + " id=\"" + s.form_id + "\">";
    emit(0, 0, "", "m");
    xml += "<meta><instanceID>uuid:corpus</instanceID></meta></" + s.root + ">";
    auto rows = decode(encode_record(s, l, read_submission(xml)));
    ASSERT_EQ(rows.size(), expected.size()) << *e;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].table, expected[i].table) << *e << " row " << i;
      EXPECT_EQ(rows[i].key, expected[i].key) << *e << " row " << i;
      if (rows[i].values.size() == 1 && expected[i].values.empty()) continue;  // a table without fields
      EXPECT_EQ(rows[i].values, expected[i].values) << *e << " row " << i;
    }
    ++forms;
    if (l.tables.size() > 1) ++with_repeats;
  }
  EXPECT_GE(forms, 40);
  EXPECT_GE(with_repeats, 5);
}

}  // namespace gotong::forms::xform
