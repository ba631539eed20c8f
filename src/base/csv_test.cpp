#include "base/csv.hpp"

#include <gtest/gtest.h>

namespace gotong::csv {
namespace {

TEST(Csv, QuotedFieldsLineEndsAndBom) {
  auto rows = parse("\xEF\xBB\xBF" "a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n\"multi\nline\",,\n4,5,6");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"1", "x, \"y\"", "3"}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"multi\nline", "", ""}));
  EXPECT_EQ(rows[2].line, 4u);
  EXPECT_EQ(rows[3].line, 6u);  // the quoted line break counts
  EXPECT_EQ(rows[3].fields[2], "6");
}

TEST(Csv, Errors) {
  try {
    parse("a,b\n1,\"open\n2,3\n");
    FAIL() << "an unterminated quote parsed";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line, 2u);
  }
  EXPECT_THROW(parse("\"a\"b,c\n"), ParseError);
  EXPECT_THROW(parse("a\nb\nc\n", 2), ParseError);
  EXPECT_TRUE(parse("").empty());
  EXPECT_TRUE(parse("\n\r\n").empty());
}

}  // namespace
TEST(Csv, AppendedFieldsReadBackUnchanged) {
  const std::vector<std::string> fields = {"plain", "with, comma", "say \"hi\"", "two\nlines", "", "cr\rx"};
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    csv::append_field(line, fields[i]);
  }
  EXPECT_EQ(line.substr(0, 20), "plain,\"with, comma\",");
  auto rows = csv::parse(line + "\r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, fields);
}

TEST(Csv, CellsThatWouldRunAsFormulasAreShownInstead) {
  auto cell = [](std::string_view v) {
    std::string out;
    csv::append_cell(out, v);
    return out;
  };
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
  EXPECT_EQ(cell("\t=1"), "'\t=1");
  EXPECT_EQ(cell("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(cell("-E1"), "'-E1");
  EXPECT_EQ(cell("- none"), "'- none");
  // Numbers and number-like texts can call nothing: left as they are.
  for (std::string_view v : {"-5", "+3.5", "-.5", "1e-3", "-1.5E+3", "-8.5 124.3 0 5;-8.6 124.4 0 5",
                             "+62 812-3456-7890", "-05:00", "plain", "", "a=b", "Rp -5.000"})
    EXPECT_EQ(cell(v), std::string(v)) << v;
}

}  // namespace gotong::csv
