// The pyxform corpus: every form with a reference XForm converts to a structurally equal XForm,
// and every example either converts or is refused with diagnostics (see CORPUS.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "forms/xlsform/convert.hpp"
#include "forms/xlsform/xform_compare_test_util.hpp"
#include "forms/xlsform/xlsx_builder_test_util.hpp"

namespace gotong::forms::xlsform {
namespace {

const std::filesystem::path kData = std::filesystem::path(GOTONG_TEST_DATA_DIR) / "xlsform";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ConvertResult convert_file(const std::filesystem::path& path, const std::string& form_name = {}) {
  ConvertOptions options;
  options.form_name = form_name;
  std::string bytes = read_file(path);
  return convert(std::as_bytes(std::span(bytes.data(), bytes.size())), path.filename().string(), options);
}

std::string all_diagnostics(const ConvertResult& result) {
  std::string out;
  for (const auto& d : result.errors) out += "error " + format_diagnostic(d) + "\n";
  for (const auto& d : result.warnings) out += "warning " + format_diagnostic(d) + "\n";
  return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

struct ExpectedCase {
  std::string form;       // file in example_xls/
  std::string expected;   // file in test_expected_output/
  std::string form_name;  // root name pyxform's test passed
  // Deliberate differences from the pyxform output, applied to the expected XML before the
  // comparison. Each one says why.
  std::vector<std::pair<std::string, std::string>> fixups;
};

void PrintTo(const ExpectedCase& c, std::ostream* out) { *out << c.form; }

std::vector<ExpectedCase> expected_cases() {
  return {
      // The workbooks now hold curly quotes where the references (made from an older copy)
      // have straight ones.
      // Instance attributes are kept on the repeat's jr:template too, so new repeat instances
      // get them (pyxform drops them there).
      {"attribute_columns_test.xlsx",
       "attribute_columns_test.xml",
       "attribute_columns_test",
       {{"\"是\"和\"否\"", "“是”和“否”"},
        {"<repeat_test jr:template=\"\">", "<repeat_test jr:template=\"\" testAttribute=\"test\">"}}},
      {"default_time_demo.xls", "default_time_demo.xml", "default_time_demo", {}},
      {"flat_xlsform_test.xlsx",
       "flat_xlsform_test.xml",
       "flat_xlsform_test",
       {{"\"是\"和\"否\"", "“是”和“否”"}}},
      {"or_other.xlsx", "or_other.xml", "or_other", {}},
      {"pull_data.xlsx", "pull_data.xml", "pull_data", {}},
      // A date-formatted cell reads as an ISO date ("2012-12-12"), not Python's str(datetime).
      {"repeat_date_test.xls",
       "repeat_date_test.xml",
       "repeat_date_test",
       {{"<label>2012-12-12 00:00:00</label>", "<label>2012-12-12</label>"}}},
      {"survey_no_name.xlsx", "survey_no_name.xml", "data", {}},
      {"table-list.xls", "table-list.xml", "table-list", {}},
      // Type "trigger" is an alias of "acknowledge" and gets its string bind (pyxform's old
      // alias table gave it no bind at all).
      {"widgets.xls",
       "widgets.xml",
       "widgets",
       {{"<bind nodeset=\"/widgets/my_output\"",
         "<bind nodeset=\"/widgets/my_trigger\" type=\"string\"/><bind nodeset=\"/widgets/my_output\""}}},
      {"xlsform_spec_test.xlsx",
       "xlsform_spec_test.xml",
       "xlsform_spec_test",
       {{"\"是\"和\"否\"", "“是”和“否”"}}},
      {"xml_escaping.xls", "xml_escaping.xml", "xml_escaping", {}},
  };
}

class ExpectedOutputTest : public ::testing::TestWithParam<ExpectedCase> {};

TEST_P(ExpectedOutputTest, ConvertsToAnEquivalentXForm) {
  const ExpectedCase& c = GetParam();
  ConvertResult result = convert_file(kData / "example_xls" / c.form, c.form_name);
  ASSERT_TRUE(result.ok()) << all_diagnostics(result);
  std::string expected_xml = read_file(kData / "test_expected_output" / c.expected);
  for (const auto& [from, to] : c.fixups) {
    ASSERT_NE(expected_xml.find(from), std::string::npos) << "stale fixup: " << from;
    replace_all(expected_xml, from, to);
  }
  testing::CanonicalXForm expected = testing::canonicalize(expected_xml);
  testing::CanonicalXForm actual = testing::canonicalize(result.xform_xml);
  ASSERT_EQ(expected.error, "");
  ASSERT_EQ(actual.error, "") << result.xform_xml;
  EXPECT_EQ(expected.title, actual.title);
  EXPECT_EQ(expected.submission, actual.submission);
  EXPECT_EQ(expected.primary_instance, actual.primary_instance);
  EXPECT_EQ(expected.binds, actual.binds);
  EXPECT_EQ(expected.body, actual.body);
  EXPECT_EQ(expected.file_instances, actual.file_instances);
  // pyxform versions differ on inline <item>s vs secondary instances; compare the ids only
  // when the reference uses secondary instances too.
  if (!expected.choice_instances.empty()) {
    EXPECT_EQ(expected.choice_instances, actual.choice_instances);
  }
}

INSTANTIATE_TEST_SUITE_P(Pyxform, ExpectedOutputTest, ::testing::ValuesIn(expected_cases()),
                         [](const ::testing::TestParamInfo<ExpectedCase>& info) {
                           std::string name = info.param.expected.substr(0, info.param.expected.find('.'));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// Every corpus file either converts to a well-formed XForm or is refused with diagnostics.
// The refusals are pinned here (file -> start of the first error) and explained in CORPUS.md.
const std::map<std::string, std::string>& expected_refusals() {
  static const std::map<std::string, std::string> refusals = {
      {"example_xls/bad_calc.xlsx",
       "survey:2:4: calculation 'because pyxform doesn't know what to do' is not a valid expression"},
      {"bug_example_xls/bad_calc.xlsx",
       "survey:2:4: calculation 'because pyxform doesn't know what to do' is not a valid expression"},
      {"example_xls/case_insensitivity.csv", "survey:5:2: unknown question type 'osm c1'"},
      {"example_xls/case_insensitivity.md", "survey:5:2: unknown question type 'osm c1'"},
      {"example_xls/case_insensitivity.xls", "survey:4:1: unknown question type 'osm c1'"},
      {"example_xls/case_insensitivity.xlsx", "survey:4:1: unknown question type 'osm c1'"},
      {"example_xls/fruits.csv", "survey: the workbook has no sheet named 'survey'"},
      {"example_xls/gps.csv", "survey:3:3: question 'location' has no label or hint"},
      {"example_xls/include.csv", "survey:4:2: unknown question type 'include'"},
      {"example_xls/include.md", "survey:4:2: unknown question type 'include'"},
      {"example_xls/include.xls", "survey:3:1: unknown question type 'include'"},
      {"example_xls/include.xlsx", "survey:3:1: unknown question type 'include'"},
      {"example_xls/include_json.csv", "survey:3:2: unknown question type 'include'"},
      {"example_xls/include_json.md", "survey:3:2: unknown question type 'include'"},
      {"example_xls/include_json.xls", "survey:2:1: unknown question type 'include'"},
      {"example_xls/include_json.xlsx", "survey:2:1: unknown question type 'include'"},
      {"example_xls/unknown_question_type.xls", "survey:2:1: unknown question type 'set form title'"},
      {"bug_example_xls/calculate_without_calculation.xls",
       "survey:34:1: calculate 'calculate_test' has no calculation"},
      {"bug_example_xls/duplicate_columns.xlsx", "survey:1:5: duplicate column 'label' (also column D)"},
      {"bug_example_xls/extra_columns.xls", "survey:19999:1: unknown question type 'party like it's 19999'"},
      {"bug_example_xls/group_name_test.xls", "survey:3:2: group has no name"},
      // Refused by the expression check (forms/xpath): typographic quotes, and a choice filter
      // written with a column header. The ODK Web Forms engine refuses both too.
      {"bug_example_xls/UCL_Biomass_Plot_Form.xlsx", "survey:"},
      {"bug_example_xls/xl_date_ambiguous.xlsx",
       "survey:5:12: choice_filter 'label::English != ''' is not a valid expression"},
  };
  return refusals;
}

TEST(CorpusSweep, EveryFileConvertsOrIsRefusedWithDiagnostics) {
  int converted = 0, refused = 0;
  for (const char* folder : {"example_xls", "bug_example_xls"}) {
    for (const auto& entry : std::filesystem::directory_iterator(kData / folder)) {
      std::string ext = entry.path().extension().string();
      if (ext != ".xls" && ext != ".xlsx" && ext != ".xlsm" && ext != ".csv" && ext != ".md") continue;
      std::string key = std::string(folder) + "/" + entry.path().filename().string();
      SCOPED_TRACE(key);
      ConvertResult result = convert_file(entry.path());
      auto refusal = expected_refusals().find(key);
      if (refusal == expected_refusals().end()) {
        EXPECT_TRUE(result.ok()) << all_diagnostics(result);
        pugi::xml_document doc;
        EXPECT_TRUE(doc.load_string(result.xform_xml.c_str()));
        EXPECT_STREQ(doc.document_element().name(), "h:html");
        ++converted;
      } else {
        ASSERT_FALSE(result.ok());
        EXPECT_TRUE(result.xform_xml.empty());
        EXPECT_EQ(format_diagnostic(result.errors.front()).rfind(refusal->second, 0), 0u)
            << all_diagnostics(result);
        ++refused;
      }
    }
  }
  EXPECT_EQ(refused, static_cast<int>(expected_refusals().size()));
  EXPECT_EQ(converted, 56);  // see CORPUS.md
}

TEST(Convert, ReportsUnreadableFilesAsWorkbookDiagnostics) {
  std::string bomb_text(20u << 20, 'a');
  std::string bomb =
      testing::make_zip({{"xl/workbook.xml", "<workbook/>"}, {"xl/sharedStrings.xml", bomb_text}});
  ConvertResult result = convert(std::as_bytes(std::span(bomb.data(), bomb.size())), "bomb.xlsx");
  ASSERT_EQ(result.errors.size(), 1u);
  std::string message = format_diagnostic(result.errors[0]);
  EXPECT_EQ(message.rfind(
                "workbook: workbook part 'xl/sharedStrings.xml' has a suspicious compression ratio (", 0),
            0u)
      << message;
  EXPECT_TRUE(message.ends_with(":1); refusing a possible zip bomb")) << message;

  std::string text = "hello";
  EXPECT_EQ(format_diagnostic(
                convert(std::as_bytes(std::span(text.data(), text.size())), "notes.txt").errors.at(0)),
            "workbook: the file is not an Excel workbook (.xlsx or .xls)");
}

TEST(Convert, MutatedWorkbooksAreRefusedNotCrashed) {
  // Deterministic byte mutations of a real .xlsx and of its sheet XML (the zip CRC would
  // otherwise stop most mutations before the XML parser sees them).
  std::uint32_t seed = 777;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  std::string original = read_file(kData / "example_xls" / "or_other.xlsx");
  for (int round = 0; round < 300; ++round) {
    std::string mutated = original;
    for (int flips = 1 + static_cast<int>(next() % 8); flips > 0; --flips) {
      mutated[next() % mutated.size()] = static_cast<char>(next() >> 24);
    }
    ConvertResult result = convert(std::as_bytes(std::span(mutated.data(), mutated.size())), "m.xlsx");
    EXPECT_TRUE(result.ok() || !result.errors.empty());
  }
  const std::string sheet =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>type</t></is></c><c r=\"B1\" "
      "t=\"inlineStr\"><is><t>name</t></is></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>label</t></is></c></row><row r=\"2\"><c r=\"A2\" "
      "t=\"inlineStr\"><is><t>text"
      "</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>q</t></is></c><c r=\"C2\" "
      "s=\"0\"><v>1.5</v></c></row>";
  for (int round = 0; round < 300; ++round) {
    std::string mutated = sheet;
    for (int flips = 1 + static_cast<int>(next() % 4); flips > 0; --flips) {
      mutated[next() % mutated.size()] = "<>/=\"&;#x0AZ9 "[next() % 16];
    }
    std::string xlsx = testing::make_xlsx({{"survey", mutated}});
    ConvertResult result = convert(std::as_bytes(std::span(xlsx.data(), xlsx.size())), "m.xlsx");
    EXPECT_TRUE(result.ok() || !result.errors.empty());
  }
}

}  // namespace
}  // namespace gotong::forms::xlsform
