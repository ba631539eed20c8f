// The XForm written for each XLSForm construct: instance, binds, body controls, itext, choice
// instances and actions, checked by querying the XML.
#include "forms/xlsform/xform_writer.hpp"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "forms/xlsform/workbook_test_util.hpp"

namespace gotong::forms::xlsform {
namespace {

using testing::convert_rows;
using testing::formatted;
using Rows = std::vector<std::vector<std::string>>;

// Converts and parses the XForm; fails the test on conversion errors.
struct Written {
  ConvertResult result;
  pugi::xml_document doc;

  std::string attr(const std::string& xpath, const std::string& attribute) const {
    pugi::xpath_node node = doc.select_node(xpath.c_str());
    if (!node) return "<no node " + xpath + ">";
    pugi::xml_attribute a = node.node().attribute(attribute.c_str());
    return a ? a.value() : "<no attribute " + attribute + ">";
  }
  bool has(const std::string& xpath) const { return static_cast<bool>(doc.select_node(xpath.c_str())); }
  std::string text(const std::string& xpath) const {
    pugi::xpath_node node = doc.select_node(xpath.c_str());
    return node ? node.node().child_value() : "<no node " + xpath + ">";
  }
  // Serialised subtree, for checking mixed content such as labels with <output>.
  std::string xml(const std::string& xpath) const {
    pugi::xpath_node node = doc.select_node(xpath.c_str());
    if (!node) return "<no node " + xpath + ">";
    std::ostringstream out;
    node.node().print(out, "", pugi::format_raw);
    return out.str();
  }
  std::string bind(const std::string& path, const std::string& attribute) const {
    return attr("//bind[@nodeset='" + path + "']", attribute);
  }
};

std::unique_ptr<Written> write(const Rows& survey, const Rows& choices = {}, const Rows& settings = {}) {
  auto w = std::make_unique<Written>();
  w->result = convert_rows(survey, choices, settings);
  EXPECT_TRUE(w->result.ok()) << ::testing::PrintToString(formatted(w->result.errors));
  pugi::xml_parse_result parsed = w->doc.load_string(w->result.xform_xml.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << "\n" << w->result.xform_xml;
  return w;
}

const Rows kYesNo{{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}};

TEST(XFormWriter, WritesTheDocumentSkeleton) {
  auto w = write({{"type", "name", "label"}, {"text", "name", "Name?"}}, {},
                 {{"form_title", "form_id", "version"}, {"Village census", "census", "7"}});
  EXPECT_EQ(w->text("/h:html/h:head/h:title"), "Village census");
  EXPECT_EQ(w->attr("/h:html", "xmlns"), "http://www.w3.org/2002/xforms");
  EXPECT_EQ(w->attr("/h:html", "xmlns:jr"), "http://openrosa.org/javarosa");
  EXPECT_EQ(w->attr("/h:html", "xmlns:odk"), "http://www.opendatakit.org/xforms");
  EXPECT_EQ(w->attr("//model", "odk:xforms-version"), "1.0.0");
  EXPECT_EQ(w->attr("//model/instance/test_form", "id"), "census");
  EXPECT_EQ(w->attr("//model/instance/test_form", "version"), "7");
  EXPECT_TRUE(w->has("//model/instance/test_form/name"));
  EXPECT_TRUE(w->has("//model/instance/test_form/meta/instanceID"));
  EXPECT_EQ(w->bind("/test_form/meta/instanceID", "jr:preload"), "uid");
  EXPECT_EQ(w->bind("/test_form/meta/instanceID", "readonly"), "true()");
  EXPECT_EQ(w->attr("/h:html/h:body/input", "ref"), "/test_form/name");
  EXPECT_EQ(w->text("/h:html/h:body/input/label"), "Name?");
}

TEST(XFormWriter, MapsQuestionTypesToBindsAndControls) {
  auto w = write({{"type", "name", "label", "parameters", "calculation"},
                  {"integer", "i", "I"},
                  {"decimal", "d", "D"},
                  {"text", "t", "T"},
                  {"select_one yn", "s1", "S1"},
                  {"select_multiple yn", "sm", "SM"},
                  {"rank yn", "rk", "RK"},
                  {"date", "da", "DA"},
                  {"time", "ti", "TI"},
                  {"dateTime", "dt", "DT"},
                  {"geopoint", "gp", "GP", "capture-accuracy=5"},
                  {"geotrace", "gt", "GT"},
                  {"geoshape", "gs", "GS"},
                  {"image", "im", "IM", "max-pixels=1024"},
                  {"audio", "au", "AU"},
                  {"video", "vi", "VI"},
                  {"file", "fi", "FI"},
                  {"barcode", "bc", "BC"},
                  {"acknowledge", "ak", "AK"},
                  {"note", "no", "NO"},
                  {"calculate", "ca", "", "", "1 + 1"},
                  {"hidden", "hi"},
                  {"range", "ra", "RA", "start=0 end=10 step=0.5"}},
                 kYesNo);
  struct Case {
    std::string name, bind_type, control;
  };
  for (const Case& c : std::vector<Case>{
           {"i", "int", "input"},       {"d", "decimal", "input"},   {"t", "string", "input"},
           {"s1", "string", "select1"}, {"sm", "string", "select"},  {"rk", "odk:rank", "odk:rank"},
           {"da", "date", "input"},     {"ti", "time", "input"},     {"dt", "dateTime", "input"},
           {"gp", "geopoint", "input"}, {"gt", "geotrace", "input"}, {"gs", "geoshape", "input"},
           {"im", "binary", "upload"},  {"au", "binary", "upload"},  {"vi", "binary", "upload"},
           {"fi", "binary", "upload"},  {"bc", "barcode", "input"},  {"ak", "string", "trigger"},
           {"no", "string", "input"},   {"ra", "decimal", "range"}}) {
    std::string path = "/test_form/" + c.name;
    EXPECT_EQ(w->bind(path, "type"), c.bind_type) << c.name;
    EXPECT_TRUE(w->has("//h:body/" + c.control + "[@ref='" + path + "']")) << c.name;
  }
  EXPECT_EQ(w->attr("//upload[@ref='/test_form/im']", "mediatype"), "image/*");
  EXPECT_EQ(w->attr("//upload[@ref='/test_form/im']", "orx:max-pixels"), "1024");
  EXPECT_EQ(w->attr("//upload[@ref='/test_form/au']", "mediatype"), "audio/*");
  EXPECT_EQ(w->attr("//upload[@ref='/test_form/vi']", "mediatype"), "video/*");
  EXPECT_EQ(w->attr("//upload[@ref='/test_form/fi']", "mediatype"), "application/*");
  EXPECT_EQ(w->attr("//input[@ref='/test_form/gp']", "accuracyThreshold"), "5");
  EXPECT_EQ(w->bind("/test_form/no", "readonly"), "true()");
  EXPECT_EQ(w->attr("//range", "start"), "0");
  EXPECT_EQ(w->attr("//range", "end"), "10");
  EXPECT_EQ(w->attr("//range", "step"), "0.5");
  EXPECT_EQ(w->bind("/test_form/hi", "type"), "string");
  EXPECT_FALSE(w->has("//h:body//*[@ref='/test_form/hi']"));
  EXPECT_FALSE(w->has("//h:body//*[@ref='/test_form/ca']"));
}

TEST(XFormWriter, WritesMetadataPreloads) {
  auto w = write(
      {{"type", "name", "label", "parameters"},
       {"start", "start"},
       {"end", "end"},
       {"today", "today"},
       {"deviceid", "deviceid"},
       {"username", "username"},
       {"phonenumber", "phonenumber"},
       {"email", "email"},
       {"simserial", "simserial"},
       {"subscriberid", "subscriberid"},
       {"uri:deviceid", "uri_deviceid"},
       {"audit", "audit", "", "location-priority=balanced location-min-interval=60 location-max-age=120"},
       {"start-geopoint", "where"},
       {"background-audio", "sound", "", "quality=low"}});
  struct Case {
    std::string name, preload, params, type;
  };
  for (const Case& c : std::vector<Case>{{"start", "timestamp", "start", "dateTime"},
                                         {"end", "timestamp", "end", "dateTime"},
                                         {"today", "date", "today", "date"},
                                         {"deviceid", "property", "deviceid", "string"},
                                         {"username", "property", "username", "string"},
                                         {"phonenumber", "property", "phonenumber", "string"},
                                         {"email", "property", "email", "string"},
                                         {"simserial", "property", "simserial", "string"},
                                         {"subscriberid", "property", "subscriberid", "string"},
                                         {"uri_deviceid", "property", "uri:deviceid", "string"}}) {
    std::string path = "/test_form/" + c.name;
    EXPECT_EQ(w->bind(path, "jr:preload"), c.preload) << c.name;
    EXPECT_EQ(w->bind(path, "jr:preloadParams"), c.params) << c.name;
    EXPECT_EQ(w->bind(path, "type"), c.type) << c.name;
  }
  EXPECT_FALSE(w->has("//h:body/*"));
  // audit lives in meta
  EXPECT_TRUE(w->has("//instance/test_form/meta/audit"));
  EXPECT_FALSE(w->has("//instance/test_form/audit"));
  EXPECT_EQ(w->bind("/test_form/meta/audit", "type"), "binary");
  EXPECT_EQ(w->bind("/test_form/meta/audit", "odk:location-priority"), "balanced");
  EXPECT_EQ(w->bind("/test_form/meta/audit", "odk:location-max-age"), "120");
  EXPECT_EQ(w->attr("//model/odk:setgeopoint", "ref"), "/test_form/where");
  EXPECT_EQ(w->attr("//model/odk:setgeopoint", "event"), "odk-instance-first-load");
  EXPECT_EQ(w->attr("//model/odk:recordaudio", "ref"), "/test_form/sound");
  EXPECT_EQ(w->attr("//model/odk:recordaudio", "odk:quality"), "low");
}

TEST(XFormWriter, WritesBindExpressionsWithResolvedReferences) {
  auto w = write({{"type", "name", "label", "relevant", "constraint", "constraint_message", "required",
                   "required_message", "read_only", "calculation", "bind::odk:length", "body::rows"},
                  {"integer", "age", "Age?"},
                  {"text", "why", "Why ${age}?", "${age} > 18", "string-length(.) < 10",
                   "Too long for ${age}", "yes", "Say why", "no", "", "20", "3"},
                  {"calculate", "double", "", "", "", "", "", "", "", "${age} * 2"}});
  EXPECT_EQ(w->bind("/test_form/why", "relevant"), " /test_form/age  > 18");
  EXPECT_EQ(w->bind("/test_form/why", "constraint"), "string-length(.) < 10");
  EXPECT_EQ(w->bind("/test_form/why", "jr:constraintMsg"), "Too long for  /test_form/age ");
  EXPECT_EQ(w->bind("/test_form/why", "required"), "true()");
  EXPECT_EQ(w->bind("/test_form/why", "jr:requiredMsg"), "Say why");
  EXPECT_EQ(w->bind("/test_form/why", "readonly"), "false()");
  EXPECT_EQ(w->bind("/test_form/why", "odk:length"), "20");
  EXPECT_EQ(w->attr("//input[@ref='/test_form/why']", "rows"), "3");
  EXPECT_EQ(w->bind("/test_form/double", "calculate"), " /test_form/age  * 2");
  EXPECT_EQ(w->xml("//input[@ref='/test_form/why']/label"),
            "<label>Why <output value=\" /test_form/age \"/>?</label>");
  // Characters special to XML survive the round trip.
  EXPECT_NE(w->result.xform_xml.find("string-length(.) &lt; 10"), std::string::npos);
}

TEST(XFormWriter, WritesTranslationsAndMedia) {
  auto w =
      write({{"type", "name", "label::English (en)", "label::Bahasa (id)", "hint::English (en)",
              "image::Bahasa (id)", "constraint", "constraint_message::English (en)",
              "constraint_message::Bahasa (id)", "label"},
             {"integer", "age", "Age?", "Umur?", "In years", "umur.png", ". > 0", "Positive", "Positif"},
             {"note", "plain", "", "", "", "", "", "", "", "Plain note"}},
            {{"list_name", "name", "label::English (en)", "label::Bahasa (id)"}, {"yn", "yes", "Yes", "Ya"}},
            {{"default_language"}, {"English (en)"}});
  EXPECT_EQ(w->attr("//itext/translation[@lang='English (en)']", "default"), "true()");
  EXPECT_TRUE(w->has("//itext/translation[@lang='Bahasa (id)']"));
  EXPECT_FALSE(w->has("//itext/translation[@lang='Bahasa (id)'][@default]"));
  EXPECT_EQ(w->attr("//input[@ref='/test_form/age']/label", "ref"), "jr:itext('/test_form/age:label')");
  // Text only in the default language needs no itext: it shows in every language.
  EXPECT_EQ(w->text("//input[@ref='/test_form/age']/hint"), "In years");
  EXPECT_EQ(w->text("//translation[@lang='Bahasa (id)']/text[@id='/test_form/age:label']/value[not(@form)]"),
            "Umur?");
  EXPECT_EQ(
      w->text("//translation[@lang='Bahasa (id)']/text[@id='/test_form/age:label']/value[@form='image']"),
      "jr://images/umur.png");
  // A missing translation shows "-", as pyxform writes it; media is not filled in.
  EXPECT_EQ(w->text("//translation[@lang='English (en)']/text[@id='/test_form/age:label']/value[not(@form)]"),
            "Age?");
  EXPECT_FALSE(w->has("//translation[@lang='English (en)']/text[@id='/test_form/age:label']/value[@form]"));
  EXPECT_EQ(w->bind("/test_form/age", "jr:constraintMsg"), "jr:itext('/test_form/age:jr:constraintMsg')");
  EXPECT_EQ(w->text("//translation[@lang='Bahasa (id)']/text[@id='/test_form/age:jr:constraintMsg']/value"),
            "Positif");
  // Untranslated text stays inline.
  EXPECT_EQ(w->text("//input[@ref='/test_form/plain']/label"), "Plain note");
  // Translated choices go through itext ids.
  EXPECT_EQ(w->text("//instance[@id='yn']/root/item/itextId"), "yn-0");
  EXPECT_EQ(w->text("//translation[@lang='Bahasa (id)']/text[@id='yn-0']/value"), "Ya");
}

TEST(XFormWriter, WritesChoiceListsAsSecondaryInstances) {
  auto w = write({{"type", "name", "label", "choice_filter", "parameters"},
                  {"select_one region", "region", "Region?"},
                  {"select_one district", "district", "District?", "region = ${region}"},
                  {"select_multiple district", "shuffled", "Shuffled", "", "randomize=true seed=${region}"},
                  {"begin repeat", "visit", "Visit"},
                  {"select_one region", "r2", "Region"},
                  {"select_one district", "d2", "District", "region = ${r2} and ${region} != ''"},
                  {"end repeat"}},
                 {{"list_name", "name", "label", "region"},
                  {"region", "n", "North"},
                  {"region", "s", "South"},
                  {"district", "d1", "D1", "n"},
                  {"district", "d2", "D2", "s"}});
  EXPECT_EQ(w->text("//instance[@id='region']/root/item[1]/name"), "n");
  EXPECT_EQ(w->text("//instance[@id='region']/root/item[1]/label"), "North");
  EXPECT_EQ(w->text("//instance[@id='district']/root/item[2]/region"), "s");
  EXPECT_EQ(w->attr("//select1[@ref='/test_form/region']/itemset", "nodeset"),
            "instance('region')/root/item");
  EXPECT_EQ(w->attr("//select1[@ref='/test_form/region']/itemset/value", "ref"), "name");
  EXPECT_EQ(w->attr("//select1[@ref='/test_form/region']/itemset/label", "ref"), "label");
  EXPECT_EQ(w->attr("//select1[@ref='/test_form/district']/itemset", "nodeset"),
            "instance('district')/root/item[region =  /test_form/region ]");
  EXPECT_EQ(w->attr("//select[@ref='/test_form/shuffled']/itemset", "nodeset"),
            "randomize(instance('district')/root/item,  /test_form/region )");
  // Inside a repeat, references to the same repeat are relative to the question.
  EXPECT_EQ(w->attr("//select1[@ref='/test_form/visit/d2']/itemset", "nodeset"),
            "instance('district')/root/item[region =  current()/../r2  and  /test_form/region  != '']");
}

TEST(XFormWriter, WritesGroupsRepeatsAndTemplates) {
  auto w = write({{"type", "name", "label", "repeat_count", "appearance", "relevant"},
                  {"integer", "n", "How many?"},
                  {"begin group", "g", "Group", "", "field-list", "${n} > 0"},
                  {"begin repeat", "r", "Person", "${n}"},
                  {"text", "name", "Name"},
                  {"end repeat"},
                  {"end group"},
                  {"begin repeat", "fixed", "Fixed", "3"},
                  {"text", "x", "X"},
                  {"end repeat"}});
  EXPECT_TRUE(w->has("//instance/test_form/g/r[@jr:template='']/name"));
  EXPECT_TRUE(w->has("//instance/test_form/g/r[not(@jr:template)]/name"));
  EXPECT_EQ(w->bind("/test_form/g", "relevant"), " /test_form/n  > 0");
  EXPECT_EQ(w->attr("//h:body/group[@ref='/test_form/g']", "appearance"), "field-list");
  EXPECT_EQ(w->text("//h:body/group[@ref='/test_form/g']/label"), "Group");
  EXPECT_EQ(w->attr("//group[@ref='/test_form/g/r']/repeat", "nodeset"), "/test_form/g/r");
  EXPECT_EQ(w->attr("//group[@ref='/test_form/g/r']/repeat", "jr:count"), " /test_form/n ");
  EXPECT_TRUE(w->has("//repeat[@nodeset='/test_form/g/r']/input[@ref='/test_form/g/r/name']"));
  EXPECT_EQ(w->bind("/test_form/fixed_count", "calculate"), "3");
  EXPECT_EQ(w->attr("//repeat[@nodeset='/test_form/fixed']", "jr:count"), " /test_form/fixed_count ");
}

TEST(XFormWriter, WritesDefaultsAndTriggers) {
  auto w = write({{"type", "name", "label", "default", "calculation", "trigger"},
                  {"integer", "n", "N", "5"},
                  {"date", "when", "When", "today()"},
                  {"text", "copy", "Copy", "", "concat('n=', ${n})", "${n}"},
                  {"begin repeat", "r", "R"},
                  {"dateTime", "at", "At", "now()"},
                  {"end repeat"}});
  EXPECT_EQ(w->text("//instance/test_form/n"), "5");
  EXPECT_EQ(w->text("//instance/test_form/when"), "");
  EXPECT_EQ(w->attr("//model/setvalue[@ref='/test_form/when']", "event"), "odk-instance-first-load");
  EXPECT_EQ(w->attr("//model/setvalue[@ref='/test_form/when']", "value"), "today()");
  EXPECT_EQ(w->attr("//repeat/setvalue[@ref='/test_form/r/at']", "event"), "odk-new-repeat");
  // The triggered calculation runs when the trigger question changes, not as a bind.
  EXPECT_EQ(w->bind("/test_form/copy", "calculate"), "<no attribute calculate>");
  EXPECT_EQ(w->attr("//input[@ref='/test_form/n']/setvalue", "event"), "xforms-value-changed");
  EXPECT_EQ(w->attr("//input[@ref='/test_form/n']/setvalue", "ref"), "/test_form/copy");
  EXPECT_EQ(w->attr("//input[@ref='/test_form/n']/setvalue", "value"), "concat('n=',  /test_form/n )");
}

TEST(XFormWriter, WritesSettingsIntoTheModel) {
  auto w = write({{"type", "name", "label"}, {"text", "who", "Who?"}}, {},
                 {{"instance_name", "public_key", "submission_url", "style", "auto_send", "namespaces"},
                  {"concat('by ', ${who})", "MIIB", "https://example.org/s", "pages", "true",
                   "esri=\"http://esri.com/xforms\""}});
  EXPECT_EQ(w->attr("//model/submission", "action"), "https://example.org/s");
  EXPECT_EQ(w->attr("//model/submission", "base64RsaPublicKey"), "MIIB");
  EXPECT_EQ(w->attr("//model/submission", "method"), "post");
  EXPECT_EQ(w->attr("//model/submission", "orx:auto-send"), "true");
  EXPECT_TRUE(w->has("//instance/test_form/meta/instanceName"));
  EXPECT_EQ(w->bind("/test_form/meta/instanceName", "calculate"), "concat('by ',  /test_form/who )");
  EXPECT_EQ(w->attr("/h:html/h:body", "class"), "pages");
  EXPECT_EQ(w->attr("/h:html", "xmlns:esri"), "http://esri.com/xforms");
}

TEST(XFormWriter, DeclaresFilesTheFormReads) {
  auto w = write({{"type", "name", "label", "calculation", "parameters", "relevant"},
                  {"select_one_from_file villages.csv", "village", "Village?"},
                  {"select_multiple_from_file crops.xml", "crops", "Crops?", "", "value=code label=title"},
                  {"xml-external", "households"},
                  {"csv-external", "prices"},
                  {"calculate", "price", "", "pulldata('prices', 'price', 'item', 'rice')"},
                  {"text", "again", "Again?", "", "", "${last-saved#village} != ''"}});
  EXPECT_EQ(w->attr("//instance[@id='villages']", "src"), "jr://file-csv/villages.csv");
  EXPECT_EQ(w->attr("//instance[@id='crops']", "src"), "jr://file/crops.xml");
  EXPECT_EQ(w->attr("//instance[@id='households']", "src"), "jr://file/households.xml");
  EXPECT_EQ(w->attr("//instance[@id='prices']", "src"), "jr://file-csv/prices.csv");
  EXPECT_EQ(w->attr("//instance[@id='__last-saved']", "src"), "jr://instance/last-saved");
  EXPECT_EQ(w->attr("//select1[@ref='/test_form/village']/itemset", "nodeset"),
            "instance('villages')/root/item");
  EXPECT_EQ(w->attr("//select[@ref='/test_form/crops']/itemset/value", "ref"), "code");
  EXPECT_EQ(w->attr("//select[@ref='/test_form/crops']/itemset/label", "ref"), "title");
  EXPECT_FALSE(w->has("//instance/test_form/households"));
  EXPECT_EQ(w->bind("/test_form/again", "relevant"), " instance('__last-saved')/test_form/village  != ''");
}

TEST(XFormWriter, WritesExternalChoicesAsQueriesAndCsv) {
  ConvertResult result = convert_workbook(
      testing::workbook({testing::sheet("survey", {{"type", "name", "label", "choice_filter"},
                                                   {"select_one s", "s", "S"},
                                                   {"select_one_external c", "city", "City", "s = ${s}"}}),
                         testing::sheet("choices", {{"list_name", "name", "label"}, {"s", "a", "A"}}),
                         testing::sheet("external_choices",
                                        {{"list_name", "name", "label", "s"}, {"c", "x", "X, ok", "a"}})}),
      "ext.xlsx");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(formatted(result.errors));
  EXPECT_NE(result.xform_xml.find("query=\"instance('c')/root/item[s =  /ext/s ]\""), std::string::npos)
      << result.xform_xml;
  EXPECT_EQ(result.external_itemsets_csv, "list_name,name,label,s\nc,x,\"X, ok\",a\n");
}

TEST(XFormWriter, ProducesWellFormedXmlForAwkwardText) {
  auto w = write({{"type", "name", "label", "hint"}, {"text", "t", "A < B & \"C\" > 'D'", "]]> <!-- -->"}});
  EXPECT_EQ(w->text("//input/label"), "A < B & \"C\" > 'D'");
  EXPECT_EQ(w->text("//input/hint"), "]]> <!-- -->");
}

}  // namespace
}  // namespace gotong::forms::xlsform
