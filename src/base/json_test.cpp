#include "base/json.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace gotong::json {

TEST(Json, MalformedInputNamesLineAndColumn) {
  try {
    parse_object("{\n  \"a\": 1,\n  \"b\": }");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
}

TEST(Json, TopLevelMustBeAnObject) {
  EXPECT_THROW(parse_object("[1,2]"), Error);
}

TEST(Json, DeepNestingIsRefused) {
  std::string deep(10000, '[');
  EXPECT_THROW(parse(deep), Error);
}

TEST(Json, TypedFieldsReportTheField) {
  auto o = parse_object(R"({"name":"  Desa  ","n":3,"id":"42","bad":1.5,"flag":true})");
  EXPECT_EQ(required_string(o, "name"), "Desa");
  EXPECT_EQ(optional_int(o, "n"), 3);
  EXPECT_EQ(optional_id(o, "id"), 42);
  EXPECT_EQ(optional_bool(o, "flag"), true);
  EXPECT_FALSE(optional_string(o, "missing"));
  try {
    optional_int(o, "bad");
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_EQ(e.details()[0].field, "bad");
  }
  EXPECT_THROW(required_string(o, "missing"), Error);
  EXPECT_THROW(optional_string(o, "name", 3), Error);
}

TEST(Json, AppendQuotedEscapesWhatJsonRequiresAndRoundTrips) {
  const std::string text = "a \"kutip\" \\ baris\nbaru\ttab \x01\x7f Ñ";
  std::string out = "x=";
  append_quoted(out, text);
  EXPECT_EQ(out.substr(0, 7), "x=\"a \\\"");
  EXPECT_NE(out.find("\\u0001"), std::string::npos);
  EXPECT_NE(out.find("\\u007f"), std::string::npos);
  EXPECT_EQ(boost::json::parse(out.substr(2)).as_string(), text);
}

}  // namespace gotong::json
