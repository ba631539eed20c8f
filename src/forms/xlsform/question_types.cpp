#include "forms/xlsform/question_types.hpp"

#include <array>
#include <unordered_map>
#include <vector>

#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

namespace {

using QT = QuestionType;

const std::unordered_map<std::string, QuestionType>& simple_types() {
  // Keys are lower-case with single spaces; old pyxform spellings kept for old forms.
  static const std::unordered_map<std::string, QuestionType> table = {
      {"text", QT::text},
      {"string", QT::text},
      {"phone number", QT::text},
      {"add text prompt", QT::text},
      {"q string", QT::text},
      {"integer", QT::integer},
      {"int", QT::integer},
      {"add integer prompt", QT::integer},
      {"q int", QT::integer},
      {"decimal", QT::decimal},
      {"add decimal prompt", QT::decimal},
      {"q decimal", QT::decimal},
      {"range", QT::range},
      {"date", QT::date},
      {"add date prompt", QT::date},
      {"q date", QT::date},
      {"time", QT::time},
      {"datetime", QT::date_time},
      {"date time", QT::date_time},
      {"add datetime prompt", QT::date_time},
      {"add date time prompt", QT::date_time},
      {"q datetime", QT::date_time},
      {"q date time", QT::date_time},
      {"geopoint", QT::geopoint},
      {"gps", QT::geopoint},
      {"location", QT::geopoint},
      {"add location prompt", QT::geopoint},
      {"q location", QT::geopoint},
      {"q geopoint", QT::geopoint},
      {"geotrace", QT::geotrace},
      {"geoshape", QT::geoshape},
      {"note", QT::note},
      {"add note prompt", QT::note},
      {"q note", QT::note},
      {"acknowledge", QT::acknowledge},
      {"trigger", QT::acknowledge},
      {"add acknowledge prompt", QT::acknowledge},
      {"q acknowledge", QT::acknowledge},
      {"image", QT::image},
      {"photo", QT::image},
      {"add image prompt", QT::image},
      {"add photo prompt", QT::image},
      {"q image", QT::image},
      {"q picture", QT::image},
      {"audio", QT::audio},
      {"add audio prompt", QT::audio},
      {"q audio", QT::audio},
      {"video", QT::video},
      {"add video prompt", QT::video},
      {"q video", QT::video},
      {"file", QT::file},
      {"add file prompt", QT::file},
      {"background-audio", QT::background_audio},
      {"barcode", QT::barcode},
      {"add barcode prompt", QT::barcode},
      {"q barcode", QT::barcode},
      {"calculate", QT::calculate},
      {"add calculate prompt", QT::calculate},
      {"q calculate", QT::calculate},
      {"hidden", QT::hidden},
      {"xml-external", QT::xml_external},
      {"csv-external", QT::csv_external},
      {"start", QT::start},
      {"start time", QT::start},
      {"get start time", QT::start},
      {"end", QT::end},
      {"end time", QT::end},
      {"get end time", QT::end},
      {"today", QT::today},
      {"get today", QT::today},
      {"deviceid", QT::deviceid},
      {"imei", QT::deviceid},
      {"device id", QT::deviceid},
      {"get device id", QT::deviceid},
      {"username", QT::username},
      {"phonenumber", QT::phonenumber},
      {"get phone number", QT::phonenumber},
      {"email", QT::email},
      {"simserial", QT::simserial},
      {"sim id", QT::simserial},
      {"get sim id", QT::simserial},
      {"subscriberid", QT::subscriberid},
      {"subscriber id", QT::subscriberid},
      {"get subscriber id", QT::subscriberid},
      {"audit", QT::audit},
      {"start-geopoint", QT::start_geopoint},
      {"uri:deviceid", QT::uri_property},
      {"uri:email", QT::uri_property},
      {"uri:phonenumber", QT::uri_property},
      {"uri:simserial", QT::uri_property},
      {"uri:subscriberid", QT::uri_property},
      {"uri:username", QT::uri_property},
  };
  return table;
}

struct SelectSpelling {
  std::vector<std::string> words;
  QuestionType type;
};

const std::vector<SelectSpelling>& select_spellings() {
  // Longest spellings first so "select one from file" wins over "select one from".
  static const std::vector<SelectSpelling> table = {
      {{"add", "select", "one", "prompt", "using"}, QT::select_one},
      {{"add", "select", "multiple", "prompt", "using"}, QT::select_multiple},
      {{"select", "all", "that", "apply", "from"}, QT::select_multiple},
      {{"select", "one", "from", "file"}, QT::select_one_from_file},
      {{"select", "multiple", "from", "file"}, QT::select_multiple_from_file},
      {{"select", "all", "that", "apply"}, QT::select_multiple},
      {{"select", "multiple", "from"}, QT::select_multiple},
      {{"select", "one", "from"}, QT::select_one},
      {{"select", "one", "using"}, QT::select_one},
      {{"select", "multiple", "using"}, QT::select_multiple},
      {{"select", "one"}, QT::select_one},
      {{"select", "multiple"}, QT::select_multiple},
      {{"select_one_from_file"}, QT::select_one_from_file},
      {{"select_multiple_from_file"}, QT::select_multiple_from_file},
      {{"select_one_external"}, QT::select_one_external},
      {{"select_one"}, QT::select_one},
      {{"select1"}, QT::select_one},
      {{"select_multiple"}, QT::select_multiple},
      {{"rank"}, QT::rank},
  };
  return table;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < text.size() && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

std::string join_lower(const std::vector<std::string>& words, std::size_t from = 0,
                       std::size_t to = std::string::npos) {
  std::string out;
  for (std::size_t i = from; i < words.size() && i < to; ++i) {
    if (!out.empty()) out += ' ';
    out += to_lower_ascii(words[i]);
  }
  return out;
}

}  // namespace

const TypeInfo& type_info(QuestionType type) {
  static const TypeInfo text{"string", "input"};
  static const TypeInfo integer{"int", "input"};
  static const TypeInfo decimal{"decimal", "input"};
  static const TypeInfo range{"int", "range"};
  static const TypeInfo date{"date", "input"};
  static const TypeInfo time{"time", "input"};
  static const TypeInfo date_time{"dateTime", "input"};
  static const TypeInfo geopoint{"geopoint", "input"};
  static const TypeInfo geotrace{"geotrace", "input"};
  static const TypeInfo geoshape{"geoshape", "input"};
  static const TypeInfo select_one{"string", "select1", "", "", "", false, true};
  static const TypeInfo select_multiple{"string", "select", "", "", "", false, true};
  static const TypeInfo rank{"odk:rank", "odk:rank", "", "", "", false, true};
  static const TypeInfo select_one_file{"string", "select1"};
  static const TypeInfo select_multiple_file{"string", "select"};
  static const TypeInfo select_external{"string", "input", "", "", "", false, true};
  static const TypeInfo note{"string", "input", "", "", "", true};
  static const TypeInfo acknowledge{"string", "trigger"};
  static const TypeInfo image{"binary", "upload", "image/*"};
  static const TypeInfo audio{"binary", "upload", "audio/*"};
  static const TypeInfo video{"binary", "upload", "video/*"};
  static const TypeInfo file{"binary", "upload", "application/*"};
  static const TypeInfo background_audio{"binary", "", "", "", "", false, false, true};
  static const TypeInfo barcode{"barcode", "input"};
  static const TypeInfo calculate{"string", ""};
  static const TypeInfo hidden{"string", ""};
  static const TypeInfo external{"", ""};
  static const TypeInfo start{"dateTime", "", "", "timestamp", "start", false, false, true};
  static const TypeInfo end{"dateTime", "", "", "timestamp", "end", false, false, true};
  static const TypeInfo today{"date", "", "", "date", "today", false, false, true};
  static const TypeInfo deviceid{"string", "", "", "property", "deviceid", false, false, true};
  static const TypeInfo username{"string", "", "", "property", "username", false, false, true};
  static const TypeInfo phonenumber{"string", "", "", "property", "phonenumber", false, false, true};
  static const TypeInfo email{"string", "", "", "property", "email", false, false, true};
  static const TypeInfo simserial{"string", "", "", "property", "simserial", false, false, true};
  static const TypeInfo subscriberid{"string", "", "", "property", "subscriberid", false, false, true};
  static const TypeInfo audit{"binary", "", "", "", "", false, false, true};
  static const TypeInfo start_geopoint{"geopoint", "", "", "", "", false, false, true};
  static const TypeInfo uri_property{"string", "", "", "property", "", false, false, true};
  static const TypeInfo none{"", ""};
  switch (type) {
    case QT::text:
      return text;
    case QT::integer:
      return integer;
    case QT::decimal:
      return decimal;
    case QT::range:
      return range;
    case QT::date:
      return date;
    case QT::time:
      return time;
    case QT::date_time:
      return date_time;
    case QT::geopoint:
      return geopoint;
    case QT::geotrace:
      return geotrace;
    case QT::geoshape:
      return geoshape;
    case QT::select_one:
      return select_one;
    case QT::select_multiple:
      return select_multiple;
    case QT::rank:
      return rank;
    case QT::select_one_from_file:
      return select_one_file;
    case QT::select_multiple_from_file:
      return select_multiple_file;
    case QT::select_one_external:
      return select_external;
    case QT::note:
      return note;
    case QT::acknowledge:
      return acknowledge;
    case QT::image:
      return image;
    case QT::audio:
      return audio;
    case QT::video:
      return video;
    case QT::file:
      return file;
    case QT::background_audio:
      return background_audio;
    case QT::barcode:
      return barcode;
    case QT::calculate:
      return calculate;
    case QT::hidden:
      return hidden;
    case QT::xml_external:
    case QT::csv_external:
      return external;
    case QT::start:
      return start;
    case QT::end:
      return end;
    case QT::today:
      return today;
    case QT::deviceid:
      return deviceid;
    case QT::username:
      return username;
    case QT::phonenumber:
      return phonenumber;
    case QT::email:
      return email;
    case QT::simserial:
      return simserial;
    case QT::subscriberid:
      return subscriberid;
    case QT::audit:
      return audit;
    case QT::start_geopoint:
      return start_geopoint;
    case QT::uri_property:
      return uri_property;
    case QT::none:
      return none;
  }
  return none;
}

std::string_view type_name(QuestionType type) {
  switch (type) {
    case QT::text:
      return "text";
    case QT::integer:
      return "integer";
    case QT::decimal:
      return "decimal";
    case QT::range:
      return "range";
    case QT::date:
      return "date";
    case QT::time:
      return "time";
    case QT::date_time:
      return "dateTime";
    case QT::geopoint:
      return "geopoint";
    case QT::geotrace:
      return "geotrace";
    case QT::geoshape:
      return "geoshape";
    case QT::select_one:
      return "select_one";
    case QT::select_multiple:
      return "select_multiple";
    case QT::rank:
      return "rank";
    case QT::select_one_from_file:
      return "select_one_from_file";
    case QT::select_multiple_from_file:
      return "select_multiple_from_file";
    case QT::select_one_external:
      return "select_one_external";
    case QT::note:
      return "note";
    case QT::acknowledge:
      return "acknowledge";
    case QT::image:
      return "image";
    case QT::audio:
      return "audio";
    case QT::video:
      return "video";
    case QT::file:
      return "file";
    case QT::background_audio:
      return "background-audio";
    case QT::barcode:
      return "barcode";
    case QT::calculate:
      return "calculate";
    case QT::hidden:
      return "hidden";
    case QT::xml_external:
      return "xml-external";
    case QT::csv_external:
      return "csv-external";
    case QT::start:
      return "start";
    case QT::end:
      return "end";
    case QT::today:
      return "today";
    case QT::deviceid:
      return "deviceid";
    case QT::username:
      return "username";
    case QT::phonenumber:
      return "phonenumber";
    case QT::email:
      return "email";
    case QT::simserial:
      return "simserial";
    case QT::subscriberid:
      return "subscriberid";
    case QT::audit:
      return "audit";
    case QT::start_geopoint:
      return "start-geopoint";
    case QT::uri_property:
      return "uri";
    case QT::none:
      return "";
  }
  return "";
}

std::optional<ParsedType> parse_type(std::string_view type_text) {
  std::vector<std::string> words = words_of(type_text);
  if (words.empty()) return std::nullopt;
  std::string lower = join_lower(words);
  ParsedType parsed;
  using S = ParsedType::Structure;

  // begin/end of groups, repeats and loops; "begin_group" and "begin group" both occur.
  std::string first = to_lower_ascii(words[0]);
  std::string head = first;
  std::size_t used = 1;
  if ((first == "begin" || first == "end") && words.size() > 1) {
    head = first + "_" + to_lower_ascii(words[1]);
    used = 2;
  }
  if (head == "begin_looped" || head == "end_looped") {
    if (words.size() > 2 && to_lower_ascii(words[2]) == "group") {
      head = first + "_repeat";
      used = 3;
    }
  }
  if (head == "begin_group" || head == "begin_lgroup" || head == "begin_repeat") {
    parsed.structure = head == "begin_group" ? S::begin_group : S::begin_repeat;
    if (words.size() > used) parsed.error = "unexpected text after '" + head + "'";
    return parsed;
  }
  if (head == "end_group" || head == "end_lgroup" || head == "end_repeat" || head == "end_loop") {
    parsed.structure = head == "end_group" ? S::end_group : head == "end_loop" ? S::end_loop : S::end_repeat;
    return parsed;
  }
  if (head == "begin_loop") {
    parsed.structure = S::begin_loop;
    std::size_t at = used;
    if (at < words.size() && to_lower_ascii(words[at]) == "over") ++at;
    if (at + 1 != words.size()) {
      parsed.error = "a loop is written 'begin loop over <list name>'";
    } else {
      parsed.list_name = words[at];
    }
    return parsed;
  }

  if (auto it = simple_types().find(lower); it != simple_types().end()) {
    parsed.type = it->second;
    return parsed;
  }

  for (const SelectSpelling& spelling : select_spellings()) {
    std::size_t n = spelling.words.size();
    if (words.size() <= n) continue;
    bool match = true;
    for (std::size_t i = 0; i < n && match; ++i) match = to_lower_ascii(words[i]) == spelling.words[i];
    if (!match) continue;
    parsed.type = spelling.type;
    parsed.list_name = words[n];
    std::string rest = join_lower(words, n + 1);
    if (rest == "or_other" || rest == "or other" || rest == "or specify other") {
      parsed.or_other = true;
    } else if (!rest.empty()) {
      parsed.error = "unexpected '" + rest + "' after the list name (only 'or_other' may follow)";
    }
    if (parsed.or_other && spelling.type != QT::select_one && spelling.type != QT::select_multiple) {
      parsed.error = "'or_other' only works with select_one and select_multiple";
    }
    return parsed;
  }
  return std::nullopt;
}

bool is_select(QuestionType type) {
  switch (type) {
    case QT::select_one:
    case QT::select_multiple:
    case QT::rank:
    case QT::select_one_from_file:
    case QT::select_multiple_from_file:
    case QT::select_one_external:
      return true;
    default:
      return false;
  }
}

bool uses_choice_list(QuestionType type) {
  return type == QT::select_one || type == QT::select_multiple || type == QT::rank;
}

}  // namespace gotong::forms::xlsform
