// Parsing XLSForms into the Form model: every construct, the column aliases, and every error,
// checked as the exact "sheet:row:column: message" a form author sees.
#include "forms/xlsform/survey_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "forms/xlsform/form_builder.hpp"
#include "forms/xlsform/question_types.hpp"
#include "forms/xlsform/workbook_test_util.hpp"

namespace gotong::forms::xlsform {
namespace {

using testing::convert_rows;
using ::testing::ElementsAre;
using testing::formatted;
using testing::sheet;
using testing::workbook;

using Rows = std::vector<std::vector<std::string>>;

const Element& child(const Element& parent, const std::string& name) {
  for (const Element& c : parent.children) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no child " << name << " in " << parent.path;
  static Element none;
  return none;
}

std::vector<std::string> errors_of(const Rows& survey, const Rows& choices = {}, const Rows& settings = {}) {
  return formatted(convert_rows(survey, choices, settings).errors);
}

// ---- errors --------------------------------------------------------------------------------

TEST(SurveyErrors, UnknownType) {
  EXPECT_THAT(errors_of({{"type", "name", "label"}, {"integer", "a", "A"}, {"integr", "b", "B"}}),
              ElementsAre("survey:3:1: unknown question type 'integr'"));
}

TEST(SurveyErrors, DuplicateNameAtTheSameLevel) {
  EXPECT_THAT(errors_of({{"type", "name", "label"},
                         {"integer", "age", "A"},
                         {"begin group", "g", "G"},
                         {"integer", "age", "Same name, other level: fine"},
                         {"end group"},
                         {"text", "age", "B"}}),
              ElementsAre("survey:6:2: duplicate name 'age' (already used on row 2 in the same group)"));
}

TEST(SurveyErrors, MissingName) {
  EXPECT_THAT(
      errors_of(
          {{"type", "name", "label"}, {"integer", "", "Age?"}, {"begin repeat", "", "R"}, {"end repeat"}}),
      ElementsAre("survey:2:2: question of type 'integer' has no name", "survey:3:2: repeat has no name"));
}

TEST(SurveyErrors, InvalidName) {
  EXPECT_THAT(
      errors_of({{"type", "name", "label"}, {"integer", "1st", "A"}, {"text", "my name", "B"}}),
      ElementsAre("survey:2:2: invalid name '1st': a name must start with a letter or '_' and hold only "
                  "letters, digits, '-', '_' or '.'",
                  "survey:3:2: invalid name 'my name': a name must start with a letter or '_' and hold only "
                  "letters, digits, '-', '_' or '.'"));
}

TEST(SurveyErrors, ReferenceToNoQuestion) {
  EXPECT_THAT(errors_of({{"type", "name", "label", "relevant"}, {"integer", "a", "A ${b}", "${c} > 1"}}),
              ElementsAre("survey:2:4: ${c} in relevant does not name any question",
                          "survey:2:3: ${b} in label does not name any question"));
}

TEST(SurveyErrors, AmbiguousReference) {
  EXPECT_THAT(
      errors_of({{"type", "name", "label", "calculation"},
                 {"begin group", "g1", "G1"},
                 {"integer", "x", "X"},
                 {"end group"},
                 {"begin group", "g2", "G2"},
                 {"integer", "x", "X"},
                 {"end group"},
                 {"calculate", "c", "", "${x} + 1"}}),
      ElementsAre("survey:8:4: ${x} in calculation is ambiguous: 2 elements are named 'x' (rows 3, 6)"));
}

TEST(SurveyErrors, BadReferenceSyntax) {
  EXPECT_THAT(
      errors_of(
          {{"type", "name", "label", "relevant", "constraint"}, {"integer", "a", "A", "${a > 1", ". > ${}"}}),
      ElementsAre("survey:2:4: bad reference in relevant: '${' without a closing '}' (at character 1)",
                  "survey:2:5: bad reference in constraint: empty reference '${}' (at character 5)"));
}

TEST(SurveyErrors, UnclosedAndUnmatchedSections) {
  EXPECT_THAT(errors_of({{"type", "name", "label"}, {"begin group", "g", "G"}, {"text", "t", "T"}}),
              ElementsAre("survey:2:1: group 'g' is never closed (no 'end group')"));
  EXPECT_THAT(errors_of({{"type", "name", "label"}, {"text", "t", "T"}, {"end group"}}),
              ElementsAre("survey:3:1: 'end group' without a matching 'begin group'"));
  EXPECT_THAT(
      errors_of({{"type", "name", "label"}, {"begin repeat", "r", "R"}, {"text", "t", "T"}, {"end group"}}),
      ElementsAre("survey:4:1: 'end group' closes repeat 'r' begun on row 2; expected 'end repeat'"));
}

TEST(SurveyErrors, SelectListWithNoChoices) {
  EXPECT_THAT(errors_of({{"type", "name", "label"}, {"select_one colors", "c", "C"}},
                        {{"list_name", "name", "label"}, {"sizes", "s", "S"}}),
              ElementsAre("survey:2:1: list 'colors' used by 'c' is not in the choices sheet"));
  EXPECT_THAT(errors_of({{"type", "name", "label"}, {"select_one colors", "c", "C"}}),
              ElementsAre("survey:2:1: list 'colors' used by 'c' needs a sheet named 'choices'"));
}

TEST(SurveyErrors, DuplicateChoiceNames) {
  Rows survey{{"type", "name", "label"}, {"select_one l", "q", "Q"}};
  Rows choices{{"list_name", "name", "label"}, {"l", "a", "A"}, {"l", "a", "Again"}};
  EXPECT_THAT(errors_of(survey, choices),
              ElementsAre("choices:3:2: duplicate choice name 'a' in list 'l' (first on row 2); set "
                          "allow_choice_duplicates to yes in the settings sheet to allow it"));
  EXPECT_THAT(errors_of(survey, choices, {{"allow_choice_duplicates"}, {"yes"}}), ElementsAre());
}

TEST(SurveyErrors, MissingSurveySheet) {
  ConvertResult result =
      convert_workbook(workbook({sheet("choices", {{"list_name"}}), sheet("settings", {{"x"}})}), "f.xlsx");
  EXPECT_THAT(
      formatted(result.errors),
      ElementsAre("survey: the workbook has no sheet named 'survey' (sheets: 'choices', 'settings')"));
}

TEST(SurveyErrors, CalculateWithoutCalculation) {
  EXPECT_THAT(errors_of({{"type", "name", "label", "calculation"}, {"calculate", "c"}}),
              ElementsAre("survey:2:4: calculate 'c' has no calculation"));
}

TEST(SurveyErrors, InvalidExpression) {
  EXPECT_THAT(
      errors_of({{"type", "name", "label", "constraint", "relevant"},
                 {"integer", "a", "A", ". > 1)", "(${a} = 'x"}}),
      ElementsAre(
          "survey:2:5: relevant '(${a} = 'x' is not a valid expression: unterminated string "
          "starting with ' (at character 9)",
          "survey:2:4: constraint '. > 1)' is not a valid expression: unexpected ')' (at character 6)"));
}

TEST(SurveyErrors, QuestionsNeedALabelAndGroupsCannotBeRequired) {
  EXPECT_THAT(
      errors_of({{"type", "name", "label", "required"},
                 {"text", "t"},
                 {"begin group", "g", "G", "yes"},
                 {"note", "n", "N"},
                 {"end group"}}),
      ElementsAre(
          "survey:2:3: question 't' has no label or hint",
          "survey:3:4: groups and repeats cannot be required; put 'required' on the questions inside"));
}

TEST(SurveyErrors, BadParametersAndTypes) {
  EXPECT_THAT(
      errors_of({{"type", "name", "label", "parameters"},
                 {"range", "r", "R", "start=0 end=x"},
                 {"text", "t", "T", "max-pixels=10"},
                 {"select_one_from_file f.txt", "f", "F"},
                 {"select_one l xyz", "s", "S"}}),
      ElementsAre(
          "survey:5:1: unexpected 'xyz' after the list name (only 'or_other' may follow)",
          "survey:2:4: parameter 'end' must be a number, not 'x'",
          "survey:3:4: parameter 'max-pixels' is not accepted by type 'text' (it takes no parameters)",
          "survey:4:1: the file of 'f' must end in .csv, .xml or .geojson, not 'f.txt'"));
}

TEST(SurveyErrors, AllProblemsAreReportedAtOnce) {
  ConvertResult result = convert_rows({{"type", "name", "label", "relevant"},
                                       {"integr", "a", "A"},
                                       {"text", "b", "B", "${zz}"},
                                       {"text", "b", "B"},
                                       {"begin group", "g", "G"}});
  EXPECT_EQ(result.errors.size(), 4u) << ::testing::PrintToString(formatted(result.errors));
  EXPECT_TRUE(result.xform_xml.empty());
}

TEST(SurveyErrors, RefusesNestingDeeperThanTheLimit) {
  Rows survey{{"type", "name", "label"}};
  for (int i = 0; i < 10000; ++i) survey.push_back({"begin group", "g" + std::to_string(i), "G"});
  std::vector<std::string> errors = errors_of(survey);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(
      errors[0],
      "survey:66:1: groups and repeats are nested more than 64 deep; the rest of the survey is not read");
}

TEST(SurveyErrors, UnknownColumnsAreNotErrors) {
  ConvertResult result =
      convert_rows({{"type", "name", "label", "my notes", "#comment"}, {"text", "a", "A", "x", "y"}});
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
}

TEST(SurveyErrors, DuplicateColumns) {
  EXPECT_THAT(errors_of({{"type", "name", "label", "Label"}, {"text", "a", "A", "B"}}),
              ElementsAre("survey:1:4: duplicate column 'Label' (also column C)"));
  ConvertResult alias =
      convert_rows({{"type", "name", "relevant", "relevance", "label"}, {"text", "a", "1", "2", "A"}});
  EXPECT_TRUE(alias.ok());
  EXPECT_EQ(alias.form.root.children.at(0).relevant, "2");
  EXPECT_THAT(
      formatted(alias.warnings),
      ElementsAre("survey:1:4: column 'relevance' means the same as column C ('relevant'); where both have "
                  "a value, this one is used"));
}

// ---- constructs ----------------------------------------------------------------------------

TEST(SurveyParser, MapsEveryQuestionType) {
  struct Case {
    std::string type;
    QuestionType expected;
  };
  std::vector<Case> cases = {
      {"integer", QuestionType::integer},
      {"int", QuestionType::integer},
      {"decimal", QuestionType::decimal},
      {"range", QuestionType::range},
      {"text", QuestionType::text},
      {"string", QuestionType::text},
      {"select_one l", QuestionType::select_one},
      {"select one l", QuestionType::select_one},
      {"select_multiple l", QuestionType::select_multiple},
      {"select all that apply from l", QuestionType::select_multiple},
      {"select_one_from_file f.csv", QuestionType::select_one_from_file},
      {"select_multiple_from_file f.xml", QuestionType::select_multiple_from_file},
      {"rank l", QuestionType::rank},
      {"note", QuestionType::note},
      {"acknowledge", QuestionType::acknowledge},
      {"geopoint", QuestionType::geopoint},
      {"gps", QuestionType::geopoint},
      {"geotrace", QuestionType::geotrace},
      {"geoshape", QuestionType::geoshape},
      {"date", QuestionType::date},
      {"time", QuestionType::time},
      {"dateTime", QuestionType::date_time},
      {"image", QuestionType::image},
      {"photo", QuestionType::image},
      {"audio", QuestionType::audio},
      {"video", QuestionType::video},
      {"file", QuestionType::file},
      {"barcode", QuestionType::barcode},
      {"calculate", QuestionType::calculate},
      {"hidden", QuestionType::hidden},
      {"xml-external", QuestionType::xml_external},
      {"csv-external", QuestionType::csv_external},
      {"start", QuestionType::start},
      {"end", QuestionType::end},
      {"today", QuestionType::today},
      {"deviceid", QuestionType::deviceid},
      {"imei", QuestionType::deviceid},
      {"username", QuestionType::username},
      {"phonenumber", QuestionType::phonenumber},
      {"email", QuestionType::email},
      {"audit", QuestionType::audit},
      {"simserial", QuestionType::simserial},
      {"subscriberid", QuestionType::subscriberid},
      {"start-geopoint", QuestionType::start_geopoint},
      {"background-audio", QuestionType::background_audio},
      {"uri:deviceid", QuestionType::uri_property},
      {"Select_One  l", QuestionType::select_one},
      {"INTEGER", QuestionType::integer},
  };
  for (const Case& c : cases) {
    auto parsed = parse_type(c.type);
    ASSERT_TRUE(parsed.has_value()) << c.type;
    EXPECT_EQ(parsed->type, c.expected) << c.type;
    EXPECT_EQ(parsed->error, "") << c.type;
  }
  EXPECT_FALSE(parse_type("integr"));
  auto other = parse_type("select one from sexes or specify other");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->list_name, "sexes");
  EXPECT_TRUE(other->or_other);
  EXPECT_EQ(parse_type("begin_group")->structure, ParsedType::Structure::begin_group);
  EXPECT_EQ(parse_type("begin repeat")->structure, ParsedType::Structure::begin_repeat);
  EXPECT_EQ(parse_type("end_repeat")->structure, ParsedType::Structure::end_repeat);
  EXPECT_EQ(parse_type("begin loop over l")->list_name, "l");
}

TEST(SurveyParser, ReadsQuestionColumns) {
  ConvertResult result = convert_rows(
      {{"type", "name", "label", "hint", "relevant", "constraint", "constraint_message", "required",
        "required_message", "read_only", "default", "calculation", "appearance", "parameters", "trigger",
        "choice_filter", "guidance_hint"},
       {"integer", "age", "Age", "in years", "${x} = 1", ". > 0", "too small", "yes", "needed", "no", "3", "",
        "numbers", "", "", "", "ask twice"},
       {"select_one yn", "x", "X", "", "", "", "", "TRUE", "", "", "", "", "minimal",
        "randomize=true seed=${age}", "", "name != 'z'"},
       {"calculate", "c", "", "", "", "", "", "", "", "", "", "${age} * 2", "", "", "${age}"},
       {"range", "r", "R", "", "", "", "", "", "", "", "", "", "", "start=0; end=100, step = 5"}},
      {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  const Element& age = child(result.form.root, "age");
  EXPECT_EQ(age.type, QuestionType::integer);
  EXPECT_EQ(age.path, "/test_form/age");
  EXPECT_EQ(age.label.at("default"), "Age");
  EXPECT_EQ(age.hint.at("default"), "in years");
  EXPECT_EQ(age.guidance_hint.at("default"), "ask twice");
  EXPECT_EQ(age.relevant, "${x} = 1");
  EXPECT_EQ(age.constraint, ". > 0");
  EXPECT_EQ(age.constraint_message.at("default"), "too small");
  EXPECT_EQ(age.required, "true()");
  EXPECT_EQ(age.required_message.at("default"), "needed");
  EXPECT_EQ(age.read_only, "false()");
  EXPECT_EQ(age.default_value, "3");
  EXPECT_EQ(age.appearance, "numbers");
  const Element& x = child(result.form.root, "x");
  EXPECT_EQ(x.required, "true()");
  EXPECT_EQ(x.list_name, "yn");
  EXPECT_EQ(x.choice_filter, "name != 'z'");
  EXPECT_EQ(x.parameters, (Attributes{{"randomize", "true"}, {"seed", "${age}"}}));
  EXPECT_EQ(child(result.form.root, "c").calculation, "${age} * 2");
  EXPECT_EQ(child(result.form.root, "c").trigger, "${age}");
  EXPECT_EQ(child(result.form.root, "r").parameters,
            (Attributes{{"start", "0"}, {"end", "100"}, {"step", "5"}}));
}

TEST(SurveyParser, UnderstandsColumnAliasesAndLanguages) {
  ConvertResult result = convert_rows(
      {{"Type", "NAME", "label::English (en)", "label:Bahasa Indonesia (id)", "hint::English (en)",
        "media::image::Bahasa Indonesia (id)", "image", "big-image", "audio", "video", "constraint message",
        "jr:constraintMsg::English (en)", "required message", "bind::jr:requiredMsg::x", "caption",
        "relevance", "read only", "calculate", "count"},
       {"text", "q", "Name?", "Nama?", "First name", "nama.png", "name.png", "big.png", "name.mp3",
        "name.mp4", "bad", "Bad!", "Required", "", "", "1=1", "yes"}},
      {}, {{"default_language"}, {"English (en)"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  const Element& q = child(result.form.root, "q");
  EXPECT_EQ(q.label, (LocalizedText{{"Bahasa Indonesia (id)", "Nama?"}, {"English (en)", "Name?"}}));
  EXPECT_EQ(q.hint.at("English (en)"), "First name");
  EXPECT_EQ(q.media.image,
            (LocalizedText{{"Bahasa Indonesia (id)", "nama.png"}, {"English (en)", "name.png"}}));
  EXPECT_EQ(q.media.big_image.at("English (en)"), "big.png");
  EXPECT_EQ(q.media.audio.at("English (en)"), "name.mp3");
  EXPECT_EQ(q.media.video.at("English (en)"), "name.mp4");
  // Both spellings of the constraint message land in one column for the default language.
  EXPECT_EQ(q.constraint_message.at("English (en)"), "Bad!");
  EXPECT_EQ(q.required_message.at("English (en)"), "Required");
  EXPECT_EQ(q.relevant, "1=1");
  EXPECT_EQ(q.read_only, "true()");
  EXPECT_EQ(result.form.default_language, "English (en)");
  EXPECT_EQ(result.form.languages, (std::vector<std::string>{"English (en)", "Bahasa Indonesia (id)"}));
}

TEST(SurveyParser, BuildsGroupsAndRepeats) {
  ConvertResult result = convert_rows({{"type", "name", "label", "repeat_count", "appearance"},
                                       {"integer", "n", "How many?"},
                                       {"begin_group", "hh", "Household", "", "field-list"},
                                       {"begin repeat", "member", "Member", "${n}"},
                                       {"text", "name", "Name"},
                                       {"begin repeat", "child", "Child", "2"},
                                       {"integer", "age", "Age"},
                                       {"end repeat"},
                                       {"end repeat"},
                                       {"end_group"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  const Element& hh = child(result.form.root, "hh");
  EXPECT_EQ(hh.kind, ElementKind::group);
  EXPECT_EQ(hh.appearance, "field-list");
  const Element& member = child(hh, "member");
  EXPECT_EQ(member.kind, ElementKind::repeat);
  EXPECT_EQ(member.repeat_count, "${n}");
  EXPECT_EQ(member.path, "/test_form/hh/member");
  // A constant count becomes a calculate node before the repeat, as pyxform does.
  const Element& count = child(member, "child_count");
  EXPECT_EQ(count.calculation, "2");
  EXPECT_TRUE(count.generated);
  EXPECT_EQ(child(member, "child").repeat_count, "${child_count}");
  EXPECT_EQ(child(child(member, "child"), "age").path, "/test_form/hh/member/child/age");
  const Element* found = result.form.find("/test_form/hh/member/child/age");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->type, QuestionType::integer);
  EXPECT_EQ(result.form.find("/test_form/nope"), nullptr);
}

TEST(SurveyParser, ExpandsOrOther) {
  ConvertResult result =
      convert_rows({{"type", "name", "label"}, {"select_one c or_other", "color", "Color?"}},
                   {{"list_name", "name", "label"}, {"c", "red", "Red"}});
  ASSERT_TRUE(result.ok());
  const Element& other = child(result.form.root, "color_other");
  EXPECT_EQ(other.type, QuestionType::text);
  EXPECT_EQ(other.relevant, "selected(../color, 'other')");
  EXPECT_EQ(other.label.at("default"), "Specify other.");
  const ChoiceList* list = result.form.find_list("c");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->choices.size(), 2u);
  EXPECT_EQ(list->choices[1].name, "other");
  EXPECT_EQ(list->choices[1].label.at("default"), "Other");
}

TEST(SurveyParser, SkipsCommentRowsColumnsAndDisabledRows) {
  ConvertResult result = convert_rows({{"type", "name", "label", "#note", "disabled"},
                                       {"#text", "skipped", "Not a question"},
                                       {"text", "a", "A", "ignored"},
                                       {"text", "b", "B", "", "yes"},
                                       {"", "", "", "only a comment"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  ASSERT_EQ(result.form.root.children.size(), 1u);
  EXPECT_EQ(result.form.root.children[0].name, "a");
}

TEST(SurveyParser, GeneratesNoteNamesAndExpandsTableLists) {
  ConvertResult result = convert_rows({{"type", "name", "label", "hint", "appearance"},
                                       {"note", "", "Hello"},
                                       {"begin group", "t", "Table", "Pick", "table-list"},
                                       {"select_one yn", "q1", "Q1"},
                                       {"select_one yn", "q2", "Q2"},
                                       {"end group"}},
                                      {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  EXPECT_EQ(result.form.root.children[0].name, "generated_note_name_2");
  const Element& table = child(result.form.root, "t");
  EXPECT_EQ(table.appearance, "field-list");
  EXPECT_TRUE(table.label.empty());
  ASSERT_EQ(table.children.size(), 4u);
  EXPECT_EQ(table.children[0].name, "generated_table_list_label_3");
  EXPECT_EQ(table.children[0].hint.at("default"), "Pick");
  EXPECT_EQ(table.children[1].name, "reserved_name_for_field_list_labels_4");
  EXPECT_EQ(table.children[1].appearance, "label");
  EXPECT_EQ(table.children[2].appearance, "list-nolabel");
}

TEST(SurveyParser, ExpandsLoops) {
  ConvertResult result = convert_rows(
      {{"type", "name", "label"},
       {"begin loop over rooms", "loop", "Rooms"},
       {"integer", "windows", "Windows in the %(label)s?"},
       {"end loop"}},
      {{"list_name", "name", "label"}, {"rooms", "kitchen", "kitchen"}, {"rooms", "bath", "bathroom"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  const Element& loop = child(result.form.root, "loop");
  ASSERT_EQ(loop.children.size(), 2u);
  EXPECT_EQ(child(child(loop, "bath"), "windows").label.at("default"), "Windows in the bathroom?");
  EXPECT_EQ(child(child(loop, "kitchen"), "windows").path, "/test_form/loop/kitchen/windows");
}

TEST(SurveyParser, ReadsSettings) {
  ConvertResult result =
      convert_rows({{"type", "name", "label"}, {"text", "a", "A"}}, {},
                   {{"form_title", "form_id", "version", "instance_name", "default_language", "public_key",
                     "submission_url", "style", "name", "auto_send"},
                    {"My Form", "my_form", "2024010101", "concat('x-', ${a})", "en", "KEY",
                     "https://example.org/submit", "pages", "household", "true"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  const Form& form = result.form;
  EXPECT_EQ(form.title, "My Form");
  EXPECT_EQ(form.id, "my_form");
  EXPECT_EQ(form.root_name, "household");
  EXPECT_EQ(form.settings.version, "2024010101");
  EXPECT_EQ(form.settings.instance_name, "concat('x-', ${a})");
  EXPECT_EQ(form.default_language, "en");
  EXPECT_EQ(form.settings.public_key, "KEY");
  EXPECT_EQ(form.settings.submission_url, "https://example.org/submit");
  EXPECT_EQ(form.settings.style, "pages");
  EXPECT_EQ(form.settings.auto_send, "true");
  EXPECT_EQ(child(form.root, "a").path, "/household/a");
}

TEST(SurveyParser, NamesTheFormAfterTheFile) {
  ConvertResult result =
      convert_workbook(workbook({sheet("Survey", {{"type", "name", "label"}, {"text", "a", "A"}})}),
                       "uploads/Sensus Desa (v2).xlsx");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.form.id, "Sensus Desa (v2)");
  EXPECT_EQ(result.form.title, "Sensus Desa (v2)");
  EXPECT_EQ(result.form.root_name, "Sensus_Desa__v2_");
  EXPECT_EQ(file_stem("a/b/c.form.xlsx"), "c.form");
}

TEST(SurveyParser, ReadsChoicesWithLanguagesMediaAndExtraColumns) {
  ConvertResult result =
      convert_rows({{"type", "name", "label", "choice_filter"}, {"select_one l", "q", "Q", "region = 'n'"}},
                   {{"list name", "name", "label::en", "label::id", "image::en", "region", "bad header"},
                    {"l", "a", "A", "A-id", "a.png", "n", "x"},
                    {"#l", "comment", "not a choice"},
                    {"l", "b", "B", "", "", "s"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  const ChoiceList* list = result.form.find_list("l");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->choices.size(), 2u);
  EXPECT_EQ(list->choices[0].label, (LocalizedText{{"en", "A"}, {"id", "A-id"}}));
  EXPECT_EQ(list->choices[0].media.image.at("en"), "a.png");
  EXPECT_EQ(list->choices[0].extra, (Attributes{{"region", "n"}}));
  EXPECT_THAT(formatted(result.warnings),
              ElementsAre("choices:1:7: column 'bad header' is ignored: a choice property name may hold only "
                          "letters, digits, '_', '-' or '.'"));
}

TEST(SurveyParser, UsesTheOnlySheetWhenNoneIsNamedSurvey) {
  ConvertResult result = convert_workbook(
      workbook({sheet("Sheet1", {{"type", "name", "label"}, {"text", "a", "A"}})}), "x.xlsx");
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(formatted(result.warnings),
              ElementsAre("survey: no sheet is named 'survey'; using the only sheet, 'Sheet1'"));
}

TEST(Parameters, SplitsOnSpacesSemicolonsAndCommas) {
  std::string error;
  EXPECT_EQ(parse_parameters("start=0 end=10;step=2, seed=${x}", &error),
            (Attributes{{"start", "0"}, {"end", "10"}, {"step", "2"}, {"seed", "${x}"}}));
  EXPECT_EQ(error, "");
  parse_parameters("start", &error);
  EXPECT_EQ(error, "parameter 'start' is not written as name=value");
}

}  // namespace
}  // namespace gotong::forms::xlsform
