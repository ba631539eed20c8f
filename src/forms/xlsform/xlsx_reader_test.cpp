// The workbook readers: .xlsx cell kinds, dates, sparse cells, sheet names, the .xls and text
// layouts, and the refusal of malicious files (zip bombs, DTDs, oversized sheets).
#include "forms/xlsform/xlsx_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "forms/xlsform/text_reader.hpp"
#include "forms/xlsform/xls_reader.hpp"
#include "forms/xlsform/xlsx_builder_test_util.hpp"

namespace gotong::forms::xlsform {
namespace {

using testing::make_xlsx;
using testing::make_zip;

const std::filesystem::path kData = std::filesystem::path(GOTONG_TEST_DATA_DIR) / "xlsform";

std::span<const std::byte> bytes_of(const std::string& s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}

ReadResult read(const std::string& xlsx, const WorkbookLimits& limits = {}) {
  return read_xlsx(bytes_of(xlsx), limits);
}

const Cell* cell_at(const Sheet& sheet, int row, int column) {
  for (const auto& r : sheet.rows) {
    for (const Cell& c : r) {
      if (c.row == row && c.column == column) return &c;
    }
  }
  return nullptr;
}

std::string value_at(const Sheet& sheet, int row, int column) {
  const Cell* c = cell_at(sheet, row, column);
  return c == nullptr ? "<none>" : c->value;
}

const std::string kSst =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>type</t></si>"
    "<si><r><t>ri</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">ch </t></r><r><t>text</t></r>"
    "<rPh><t>PHONETIC</t></rPh></si>"
    "<si><t>line_x000D_break</t></si>"
    "</sst>";

TEST(CellReference, ParsesAndFormatsColumns) {
  EXPECT_EQ(parse_cell_reference("A1"), std::make_pair(1, 1));
  EXPECT_EQ(parse_cell_reference("AB12"), std::make_pair(12, 28));
  EXPECT_EQ(parse_cell_reference("xfd1048576"), std::make_pair(1048576, 16384));
  EXPECT_FALSE(parse_cell_reference("XFE1"));
  EXPECT_FALSE(parse_cell_reference("A0"));
  EXPECT_FALSE(parse_cell_reference("12"));
  EXPECT_FALSE(parse_cell_reference("A1B"));
  EXPECT_EQ(column_name(1), "A");
  EXPECT_EQ(column_name(28), "AB");
  EXPECT_EQ(column_name(16384), "XFD");
}

TEST(NumberFormat, PrintsLikePyxform) {
  EXPECT_EQ(format_number(3.0), "3");
  EXPECT_EQ(format_number(-2.0), "-2");
  EXPECT_EQ(format_number(18.31), "18.31");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(1e-05), "1e-05");
}

TEST(SerialDate, ConvertsBothDateSystems) {
  CellType type;
  EXPECT_EQ(format_serial_date(41255, false, true, false, &type), "2012-12-12");
  EXPECT_EQ(type, CellType::date);
  EXPECT_EQ(format_serial_date(1, false, true, false, &type), "1900-01-01");
  EXPECT_EQ(format_serial_date(61, false, true, false, &type), "1900-03-01");  // after the phantom 1900-02-29
  EXPECT_EQ(format_serial_date(0, true, true, false, &type), "1904-01-01");
  EXPECT_EQ(format_serial_date(0.395833333, false, false, true, &type), "09:30:00");
  EXPECT_EQ(type, CellType::time);
  EXPECT_EQ(format_serial_date(41255.5, false, true, true, &type), "2012-12-12T12:00:00");
  EXPECT_EQ(type, CellType::date_time);
}

TEST(XlsxReader, ReadsSharedRichAndInlineStrings) {
  std::string xlsx =
      make_xlsx({{"survey",
                  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                  "<c r=\"C1\" t=\"inlineStr\"><is><t>inline</t></is></c>"
                  "<c r=\"D1\" t=\"s\"><v>2</v></c></row>"}},
                kSst);
  ReadResult result = read(xlsx);
  ASSERT_TRUE(result.ok()) << result.error;
  const Sheet& sheet = result.workbook.sheets.at(0);
  EXPECT_EQ(value_at(sheet, 1, 1), "type");
  EXPECT_EQ(value_at(sheet, 1, 2), "rich text");  // runs joined, phonetic guide dropped
  EXPECT_EQ(value_at(sheet, 1, 3), "inline");
  EXPECT_EQ(value_at(sheet, 1, 4), "line\rbreak");  // _x000D_ escape decoded
}

TEST(XlsxReader, ReadsNumbersBooleansFormulasAndErrors) {
  std::string xlsx = make_xlsx({{"survey",
                                 "<row r=\"2\"><c r=\"A2\"><v>42</v></c><c r=\"B2\"><v>18.31</v></c>"
                                 "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"b\"><v>0</v></c>"
                                 "<c r=\"E2\"><f>1+1</f><v>2</v></c>"
                                 "<c r=\"F2\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c>"
                                 "<c r=\"G2\" t=\"e\"><v>#N/A</v></c><c r=\"H2\"><f>NOW()</f></c></row>"}});
  ReadResult result = read(xlsx);
  ASSERT_TRUE(result.ok()) << result.error;
  const Sheet& sheet = result.workbook.sheets.at(0);
  EXPECT_EQ(value_at(sheet, 2, 1), "42");
  EXPECT_EQ(cell_at(sheet, 2, 1)->type, CellType::number);
  EXPECT_EQ(value_at(sheet, 2, 2), "18.31");
  EXPECT_EQ(value_at(sheet, 2, 3), "TRUE");
  EXPECT_EQ(cell_at(sheet, 2, 3)->type, CellType::boolean);
  EXPECT_EQ(value_at(sheet, 2, 4), "FALSE");
  EXPECT_EQ(value_at(sheet, 2, 5), "2");  // cached formula result
  EXPECT_EQ(value_at(sheet, 2, 6), "ab");
  EXPECT_EQ(value_at(sheet, 2, 7), "#N/A");
  EXPECT_EQ(cell_at(sheet, 2, 7)->type, CellType::error);
  EXPECT_EQ(cell_at(sheet, 2, 8), nullptr);  // formula never calculated: empty
}

TEST(XlsxReader, ReadsDatesFromBuiltinAndCustomFormats) {
  std::string styles =
      "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"[$-409]h:mm:ss\\ AM/PM\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"&quot;day&quot;0.00\"/></numFmts>"
      "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
      "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"46\"/></cellXfs></styleSheet>";
  std::string xlsx =
      make_xlsx({{"survey",
                  "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>41255</v></c><c r=\"B1\" s=\"2\"><v>41255.75</v></c>"
                  "<c r=\"C1\" s=\"3\"><v>0.395833333333</v></c><c r=\"D1\" s=\"4\"><v>3.5</v></c>"
                  "<c r=\"E1\" s=\"5\"><v>1.5</v></c><c r=\"F1\" t=\"d\"><v>2024-02-29T10:00:00.000</v></c>"
                  "<c r=\"G1\" s=\"0\"><v>41255</v></c></row>"}},
                {}, styles);
  ReadResult result = read(xlsx);
  ASSERT_TRUE(result.ok()) << result.error;
  const Sheet& sheet = result.workbook.sheets.at(0);
  EXPECT_EQ(value_at(sheet, 1, 1), "2012-12-12");
  EXPECT_EQ(value_at(sheet, 1, 2), "2012-12-12T18:00:00");
  EXPECT_EQ(value_at(sheet, 1, 3), "09:30:00");
  EXPECT_EQ(value_at(sheet, 1, 4), "3.5");       // "day" is a quoted literal, not a date part
  EXPECT_EQ(value_at(sheet, 1, 5), "36:00:00");  // [h]:mm:ss is a duration
  EXPECT_EQ(value_at(sheet, 1, 6), "2024-02-29T10:00:00");
  EXPECT_EQ(value_at(sheet, 1, 7), "41255");
}

TEST(XlsxReader, KeepsSparseCellPositionsAndSkipsEmptyRows) {
  std::string xlsx = make_xlsx({{"survey",
                                 "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>"
                                 "<c r=\"AB1\" t=\"inlineStr\"><is><t>far</t></is></c></row>"
                                 "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t></t></is></c></row>"
                                 "<row r=\"7\"><c t=\"inlineStr\"><is><t>no ref</t></is></c>"
                                 "<c t=\"inlineStr\"><is><t>next</t></is></c></row>"
                                 "<row><c t=\"inlineStr\"><is><t>row 8</t></is></c></row>"}});
  ReadResult result = read(xlsx);
  ASSERT_TRUE(result.ok()) << result.error;
  const Sheet& sheet = result.workbook.sheets.at(0);
  ASSERT_EQ(sheet.rows.size(), 3u);  // row 3 holds only an empty string
  EXPECT_EQ(value_at(sheet, 1, 28), "far");
  EXPECT_EQ(value_at(sheet, 7, 1), "no ref");
  EXPECT_EQ(value_at(sheet, 7, 2), "next");
  EXPECT_EQ(value_at(sheet, 8, 1), "row 8");
}

TEST(XlsxReader, FindsSheetsByNameIgnoringCase) {
  std::string xlsx = make_xlsx({{"Survey", ""}, {"CHOICES", ""}, {"settings ", ""}});
  ReadResult result = read(xlsx);
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.workbook.sheets.size(), 3u);
  EXPECT_NE(result.workbook.find_sheet("survey"), nullptr);
  EXPECT_NE(result.workbook.find_sheet("choices"), nullptr);
  EXPECT_NE(result.workbook.find_sheet("settings"), nullptr);
  EXPECT_EQ(result.workbook.find_sheet("external_choices"), nullptr);
}

TEST(XlsxReader, ReadsTheCorpusWorkbooks) {
  std::ifstream in(kData / "example_xls" / "xlsform_spec_test.xlsx", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  ReadResult result = read(ss.str());
  ASSERT_TRUE(result.ok()) << result.error;
  const Sheet* survey = result.workbook.find_sheet("survey");
  ASSERT_NE(survey, nullptr);
  EXPECT_EQ(value_at(*survey, 1, 5), "label::english");
  EXPECT_EQ(value_at(*survey, 55, 2), "FALSE");  // a boolean cell used as a name
}

TEST(XlsxReader, RefusesWhatIsNotAWorkbook) {
  EXPECT_NE(read("not a zip at all").error, "");
  ReadResult no_workbook = read(make_zip({{"hello.txt", "hi"}}));
  EXPECT_NE(no_workbook.error.find("not an Excel workbook"), std::string::npos) << no_workbook.error;
  ReadResult broken = read(make_zip({{"xl/workbook.xml", "<workbook><sheets>"}}));
  EXPECT_NE(broken.error.find("not well-formed"), std::string::npos) << broken.error;
}

TEST(XlsxReader, RefusesAZipBombByRatio) {
  // 20 MB of one letter deflates to about 20 KB: a 1000:1 ratio no spreadsheet part has.
  std::string bomb(20u << 20, 'a');
  std::string xlsx = make_zip(
      {{"xl/workbook.xml", "<workbook xmlns=\"x\"><sheets/></workbook>"}, {"xl/sharedStrings.xml", bomb}});
  ReadResult result = read(xlsx);
  EXPECT_NE(result.error.find("zip bomb"), std::string::npos) << result.error;
}

TEST(XlsxReader, RefusesAnEntryLargerThanTheLimit) {
  WorkbookLimits limits;
  limits.max_entry_uncompressed = 1 << 20;
  std::string big(2u << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + (i * 31) % 26);
  std::string xlsx = make_zip({{"xl/workbook.xml", "<workbook/>"}, {"xl/sharedStrings.xml", big}});
  ReadResult result = read(xlsx, limits);
  EXPECT_NE(result.error.find("too large"), std::string::npos) << result.error;
}

TEST(XlsxReader, RefusesBillionLaughsInSharedStrings) {
  std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&lol3;</t></si></sst>";
  std::string xlsx = make_xlsx({{"survey", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"}}, laughs);
  ReadResult result = read(xlsx);
  EXPECT_NE(result.error.find("DOCTYPE"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("sharedStrings.xml"), std::string::npos) << result.error;
}

TEST(XlsxReader, RefusesDataBeyondTheRowAndColumnLimits) {
  WorkbookLimits limits;
  limits.max_rows = 100;
  limits.max_columns = 10;
  ReadResult far_row = read(
      make_xlsx({{"survey", "<row r=\"101\"><c r=\"A101\" t=\"inlineStr\"><is><t>x</t></is></c></row>"}}),
      limits);
  EXPECT_NE(far_row.error.find("beyond row 100"), std::string::npos) << far_row.error;
  ReadResult far_column =
      read(make_xlsx({{"survey", "<row r=\"1\"><c r=\"K1\" t=\"inlineStr\"><is><t>x</t></is></c></row>"}}),
           limits);
  EXPECT_NE(far_column.error.find("beyond column J"), std::string::npos) << far_column.error;
  // Empty formatted cells far away cost nothing and are fine.
  EXPECT_TRUE(read(make_xlsx({{"survey", "<row r=\"5000\"><c r=\"ZZ5000\" s=\"0\"/></row>"}}), limits).ok());
}

TEST(XlsxReader, RefusesABadSharedStringIndex) {
  ReadResult result =
      read(make_xlsx({{"survey", "<row r=\"1\"><c r=\"B1\" t=\"s\"><v>7</v></c></row>"}}, kSst));
  EXPECT_NE(result.error.find("cell B1 refers to a shared string that does not exist"), std::string::npos)
      << result.error;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(XlsReader, ReadsLegacyWorkbooks) {
  std::string demo = file_bytes(kData / "example_xls" / "default_time_demo.xls");
  ASSERT_TRUE(looks_like_xls(bytes_of(demo)));
  ReadResult result = read_xls(bytes_of(demo));
  ASSERT_TRUE(result.ok()) << result.error;
  const Sheet* survey = result.workbook.find_sheet("survey");
  ASSERT_NE(survey, nullptr);
  EXPECT_EQ(value_at(*survey, 1, 1), "type");
  EXPECT_EQ(value_at(*survey, 2, 4), "09:30:00");
  EXPECT_EQ(cell_at(*survey, 2, 4)->type, CellType::time);

  // 1904 date system, date-formatted number cell
  std::string dates_file = file_bytes(kData / "example_xls" / "repeat_date_test.xls");
  ReadResult dates = read_xls(bytes_of(dates_file));
  ASSERT_TRUE(dates.ok()) << dates.error;
  EXPECT_EQ(value_at(*dates.workbook.find_sheet("survey"), 2, 4), "2012-12-12");

  // Booleans, numbers and shared strings with non-ASCII text.
  std::string widgets_file = file_bytes(kData / "example_xls" / "widgets.xls");
  ReadResult widgets = read_xls(bytes_of(widgets_file));
  ASSERT_TRUE(widgets.ok()) << widgets.error;
  EXPECT_EQ(value_at(*widgets.workbook.find_sheet("settings"), 2, 1), "FALSE");
  EXPECT_EQ(value_at(*widgets.workbook.find_sheet("survey"), 4, 7), "18.31");
  EXPECT_EQ(value_at(*widgets.workbook.find_sheet("choices"), 8, 2), "1");
}

TEST(XlsReader, RefusesDamagedFilesWithoutCrashing) {
  std::string data = file_bytes(kData / "example_xls" / "gps.xls");
  EXPECT_FALSE(read_xls(bytes_of(data.substr(0, 512))).ok());  // the header and nothing else
  EXPECT_FALSE(read_xls(bytes_of(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))).ok());
  // Deterministic mutations: whatever they break, the reader answers (run under ASan in ./test).
  std::uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (const char* name : {"gps.xls", "widgets.xls", "tutorial.xls"}) {
    std::string original = file_bytes(kData / "example_xls" / name);
    for (int round = 0; round < 200; ++round) {
      std::string mutated = original;
      for (int flips = 1 + static_cast<int>(next() % 16); flips > 0; --flips) {
        mutated[next() % mutated.size()] = static_cast<char>(next() >> 24);
      }
      if (round % 10 == 0) mutated.resize(next() % mutated.size());
      ReadResult result = read_xls(bytes_of(mutated));
      EXPECT_TRUE(result.ok() || !result.error.empty());
    }
  }
}

TEST(TextReader, ReadsCsvAndMarkdownLayouts) {
  ReadResult csv = read_csv_workbook(
      "survey,,,\n,type,name,label\n,text,q1,\"Hello, \"\"you\"\"\"\n\nchoices,,\n,list_name,name\n");
  ASSERT_TRUE(csv.ok()) << csv.error;
  ASSERT_EQ(csv.workbook.sheets.size(), 2u);
  const Sheet& survey = csv.workbook.sheets[0];
  EXPECT_EQ(survey.name, "survey");
  EXPECT_EQ(value_at(survey, 3, 4), "Hello, \"you\"");
  EXPECT_EQ(value_at(survey, 2, 2), "type");

  ReadResult md = read_markdown_workbook(
      "# a form\n| survey |\n|  | type | name | label |\n|  | integer | age | Age? |\n| choices |\n");
  ASSERT_TRUE(md.ok()) << md.error;
  ASSERT_EQ(md.workbook.sheets.size(), 2u);
  EXPECT_EQ(value_at(md.workbook.sheets[0], 4, 3), "age");
}

}  // namespace
}  // namespace gotong::forms::xlsform
