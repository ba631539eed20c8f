#include "forms/xform/submission.hpp"

#include <gtest/gtest.h>

namespace gotong::forms::xform {

namespace {
// A household form: a required name, an age with a constraint and a message, a relevant
// follow-up, a select_one, a date, and a repeat of members with a required sex.
const char* const kForm = R"XF(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Rumah tangga</h:title>
  <model>
   <itext>
    <translation lang="Bahasa Indonesia (id)" default="true()">
     <text id="/hh/age:constraintMsg"><value>Umur harus 15 sampai 120</value></text>
    </translation>
    <translation lang="English (en)">
     <text id="/hh/age:constraintMsg"><value>Age must be 15 to 120</value></text>
    </translation>
   </itext>
   <instance>
    <hh id="rumah_tangga" version="2026110101">
     <name/><age/><water/><water_other/><visit/>
     <member jr:template=""><sex/><born/><school/></member>
     <meta><instanceID/></meta>
    </hh>
   </instance>
   <bind nodeset="/hh/name" type="string" required="true()" jr:requiredMsg="Nama wajib diisi"/>
   <bind nodeset="/hh/age" type="int" constraint=". &gt;= 15 and . &lt;= 120" jr:constraintMsg="jr:itext('/hh/age:constraintMsg')"/>
   <bind nodeset="/hh/water" type="string" required="true()"/>
   <bind nodeset="/hh/water_other" type="string" required="true()" relevant="/hh/water = 'other'"/>
   <bind nodeset="/hh/visit" type="date" constraint=". &lt;= today()"/>
   <bind nodeset="/hh/member/sex" type="string" required="true()"/>
   <bind nodeset="/hh/member/born" type="int" constraint=". &gt; 1900"/>
   <bind nodeset="/hh/member/school" type="string" required="true()" relevant="/hh/member/born &gt; 2008"/>
   <bind nodeset="/hh/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
  </model>
 </h:head>
 <h:body>
  <input ref="/hh/name"><label>Nama</label></input>
  <input ref="/hh/age"><label>Umur</label></input>
  <select1 ref="/hh/water"><label>Sumber air</label>
   <item><label>Perpipaan</label><value>piped</value></item>
   <item><label>Sumur</label><value>well</value></item>
   <item><label>Lainnya</label><value>other</value></item>
  </select1>
  <input ref="/hh/water_other"><label>Sebutkan</label></input>
  <input ref="/hh/visit"><label>Tanggal</label></input>
  <group ref="/hh/member"><repeat nodeset="/hh/member">
   <select1 ref="/hh/member/sex"><item><label>L</label><value>m</value></item><item><label>P</label><value>f</value></item></select1>
   <input ref="/hh/member/born"/>
   <input ref="/hh/member/school"/>
  </repeat></group>
 </h:body>
</h:html>)XF";

std::string submission(const std::string& body) {
  return "<hh id=\"rumah_tangga\" version=\"2026110101\">" + body + "<meta><instanceID>uuid:1</instanceID></meta></hh>";
}

std::vector<Issue> check(const std::string& body) {
  static const Schema schema = read_schema(kForm);
  static const Validator v(schema, 480);
  return v.validate(read_submission(submission(body)));
}
}  // namespace

TEST(Submission, ReadsIdentity) {
  auto s = read_submission("<hh id='x' version='3'><a>1</a><meta><instanceID>uuid:abc</instanceID>"
                           "<deprecatedID>uuid:old</deprecatedID><instanceName>Rumah 1</instanceName></meta></hh>");
  EXPECT_EQ(s.form_id, "x");
  EXPECT_EQ(s.version, "3");
  EXPECT_EQ(s.instance_id, "uuid:abc");
  EXPECT_EQ(s.deprecated_id, "uuid:old");
  EXPECT_EQ(s.instance_name, "Rumah 1");
  EXPECT_EQ(s.data.find("/hh/a").text(), "1");
}

TEST(Submission, RefusesWhatCannotBeRead) {
  EXPECT_THROW(read_submission("not xml"), SubmissionError);
  EXPECT_THROW(read_submission("<hh><meta><instanceID>uuid:1</instanceID></meta></hh>"), SubmissionError);
  EXPECT_THROW(read_submission("<hh id='x'><a/></hh>"), SubmissionError);
  EXPECT_THROW(read_submission("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><hh id='x'>&lol2;</hh>"),
               SubmissionError);
  std::string deep = "<hh id='x'>";
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  for (int i = 0; i < 10000; ++i) deep += "</a>";
  deep += "</hh>";
  EXPECT_THROW(read_submission(deep), SubmissionError);
}

TEST(Submission, AValidSubmissionHasNoIssues) {
  auto issues = check("<name>Ani</name><age>34</age><water>piped</water><water_other/><visit>2026-01-05</visit>"
                      "<member><sex>f</sex><born>1990</born></member><member><sex>m</sex><born>2015</born>"
                      "<school>yes</school></member>");
  EXPECT_TRUE(issues.empty()) << issues.front().path << " " << issues.front().message;
}

TEST(Submission, ReportsEachBrokenRuleWithItsPath) {
  auto issues = check("<name/><age>7</age><water>river</water><water_other/><visit>2026-02-30x</visit>"
                      "<member><sex>f</sex><born>1990</born></member><member><sex/><born>1800</born></member>");
  std::map<std::string, Issue> by_path;
  for (auto& i : issues) by_path[i.path] = i;
  ASSERT_TRUE(by_path.count("/hh/name"));
  EXPECT_EQ(by_path["/hh/name"].rule, "required");
  EXPECT_EQ(by_path["/hh/name"].message, "Nama wajib diisi");
  EXPECT_EQ(by_path["/hh/age"].rule, "constraint");
  EXPECT_EQ(by_path["/hh/age"].message, "Umur harus 15 sampai 120");  // the default language
  EXPECT_EQ(by_path["/hh/water"].rule, "choice");
  EXPECT_EQ(by_path["/hh/visit"].rule, "type");
  EXPECT_EQ(by_path["/hh/member[2]/sex"].rule, "required");
  EXPECT_EQ(by_path["/hh/member[2]/born"].rule, "constraint");
  EXPECT_FALSE(by_path.count("/hh/member[1]/sex"));
  EXPECT_FALSE(by_path.count("/hh/water_other"));  // not relevant: water is not 'other'
}

TEST(Submission, AbsolutePathsInsideARepeatMeanTheSameMember) {
  // The school question is relevant for children only: an adult (member 1) and a child who
  // answered (member 3) are fine; only the child without an answer (member 2) is reported, as
  // ODK Collect would resolve /hh/member/born to the member being checked.
  auto issues = check("<name>Ani</name><age>34</age><water>piped</water><water_other/><visit/>"
                      "<member><sex>f</sex><born>1990</born><school/></member>"
                      "<member><sex>m</sex><born>2015</born><school/></member>"
                      "<member><sex>f</sex><born>2012</born><school>yes</school></member>");
  ASSERT_EQ(issues.size(), 1u) << issues.front().path;
  EXPECT_EQ(issues[0].path, "/hh/member[2]/school");
  EXPECT_EQ(issues[0].rule, "required");
}

TEST(Submission, RelevantFollowUpBecomesRequired) {
  auto issues = check("<name>Ani</name><age>30</age><water>other</water><water_other/><visit/>");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "/hh/water_other");
  EXPECT_EQ(issues[0].rule, "required");
}

TEST(Submission, FutureDateBreaksTodayConstraint) {
  auto issues = check("<name>Ani</name><age>30</age><water>well</water><water_other/><visit>2999-01-01</visit>");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].rule, "constraint");
}

TEST(Submission, MissingElementsStillCountAsEmpty) {
  auto issues = check("<age>30</age>");
  std::set<std::string> paths;
  for (auto& i : issues) paths.insert(i.path);
  EXPECT_TRUE(paths.count("/hh/name"));
  EXPECT_TRUE(paths.count("/hh/water"));
}

TEST(TypeChecks, LexicalForms) {
  EXPECT_TRUE(valid_for_type("int", "-12"));
  EXPECT_FALSE(valid_for_type("int", "12.5"));
  EXPECT_FALSE(valid_for_type("int", "1e3"));
  EXPECT_TRUE(valid_for_type("decimal", "12.5"));
  EXPECT_FALSE(valid_for_type("decimal", "nan"));
  EXPECT_FALSE(valid_for_type("decimal", "0x10"));
  EXPECT_TRUE(valid_for_type("date", "2026-11-28"));
  EXPECT_FALSE(valid_for_type("date", "28/11/2026"));
  EXPECT_TRUE(valid_for_type("time", "08:30:00.000+07:00"));
  EXPECT_TRUE(valid_for_type("dateTime", "2026-11-28T08:30:00.000+08:00"));
  EXPECT_FALSE(valid_for_type("dateTime", "2026-11-28"));
  EXPECT_TRUE(valid_for_type("geopoint", "-9.6 124.2 500 5"));
  EXPECT_FALSE(valid_for_type("geopoint", "-99 124.2"));
  EXPECT_TRUE(valid_for_type("geotrace", "-9.6 124.2;-9.7 124.3"));
  EXPECT_FALSE(valid_for_type("geoshape", "-9.6 124.2;-9.7 124.3"));
  EXPECT_TRUE(valid_for_type("string", "anything"));
}

}  // namespace gotong::forms::xform
