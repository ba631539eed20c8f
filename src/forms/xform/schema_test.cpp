#include "forms/xform/schema.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gotong::forms::xform {

namespace {
std::string read(const std::string& name) {
  std::ifstream in(std::string(GOTONG_TEST_DATA_DIR) + "/xlsform/test_expected_output/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(Schema, ReadsInstanceBindsAndItemsets) {
  Schema s = read_schema(read("or_other.xml"));
  EXPECT_EQ(s.form_id, "or_other");
  EXPECT_EQ(s.root, "or_other");
  EXPECT_EQ(s.title, "or_other");
  const Node* color = s.find("/or_other/fav_color");
  ASSERT_TRUE(color);
  EXPECT_EQ(color->control, "select1");
  ASSERT_EQ(color->choices.size(), 6u);
  EXPECT_EQ(color->choices[5].value, "other");
  EXPECT_EQ(color->labels.at(""), "What is your favorite color?");
  const Node* other = s.find("/or_other/fav_color_other");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->relevant, "selected(../fav_color, 'other')");
  const Node* id = s.find("/or_other/meta/instanceID");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->preload, "uid");
  EXPECT_EQ(id->control, "");
  EXPECT_EQ(s.find("/or_other/fav_pastel")->itemset, "instance('colors')/root/item[pastel=yes]");
}

TEST(Schema, MarksRepeatsAndTheirMembers) {
  Schema s = read_schema(read("repeat_date_test.xml"));
  int rep = s.index_of("/repeat_date_test/repeat_test");
  ASSERT_GE(rep, 0);
  EXPECT_EQ(s.nodes[static_cast<std::size_t>(rep)].kind, NodeKind::repeat);
  const Node* inner = s.find("/repeat_date_test/repeat_test/table_list_3");
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->repeat, rep);
  EXPECT_EQ(s.find("/repeat_date_test/repeat_count")->repeat, -1);
}

TEST(Schema, ReadsTranslations) {
  Schema s = read_schema(read("xlsform_spec_test.xml"));
  EXPECT_GE(s.languages.size(), 1u);
  EXPECT_FALSE(s.default_language.empty());
  int labelled = 0;
  for (const auto& n : s.nodes)
    if (!n.labels.empty()) ++labelled;
  EXPECT_GT(labelled, 5);
}

TEST(Schema, EveryCorpusXFormReads) {
  for (const auto& e : std::filesystem::directory_iterator(std::string(GOTONG_TEST_DATA_DIR) + "/xlsform/test_expected_output")) {
    if (e.path().extension() != ".xml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NO_THROW(read_schema(ss.str())) << e.path();
  }
}

TEST(Schema, RefusesBrokenForms) {
  EXPECT_THROW(read_schema("<h:html"), XFormError);
  EXPECT_THROW(read_schema("<h:html><h:head/></h:html>"), XFormError);
  EXPECT_THROW(read_schema("<!DOCTYPE x [<!ENTITY a 'b'>]><h:html/>"), XFormError);
  EXPECT_THROW(read_schema("<h:html><h:head><model><instance><data><a/></data></instance></model></h:head></h:html>"),
               XFormError);  // no form id
  EXPECT_THROW(read_schema("<h:html><h:head><model><instance><data id='x'><a/></data></instance>"
                           "<bind nodeset='/data/nope' type='int'/></model></h:head></h:html>"),
               XFormError);
  std::string deep = "<h:html><h:head><model><instance><data id='x'>";
  for (int i = 0; i < 100; ++i) deep += "<g>";
  for (int i = 0; i < 100; ++i) deep += "</g>";
  deep += "</data></instance></model></h:head></h:html>";
  EXPECT_THROW(read_schema(deep), XFormError);
}

}  // namespace gotong::forms::xform
