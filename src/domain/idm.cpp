#include "domain/idm.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "base/csv.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/resources.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/activity_fields.hpp"
#include "domain/areas.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::idm {

namespace bj = boost::json;
namespace aidm = analytics::idm;
namespace af = activity_fields;
using text::is_clean_utf8;
using text::to_lower_ascii;
using text::trim;

const std::vector<aidm::Indicator>& indicators() {
  static const std::vector<aidm::Indicator> defs = [] {
    auto csv = resource("data/idm/indicators.csv");
    if (!csv) throw Error(ErrorCode::internal, "the IDM indicator list is not built into this binary");
    return aidm::parse_definitions(*csv);
  }();
  return defs;
}

const aidm::Indicator* find_indicator(std::string_view code_or_number) {
  const std::string key = to_lower_ascii(trim(code_or_number));
  if (key.empty()) return nullptr;
  const bool number = std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  for (const auto& i : indicators()) {
    if (number ? (key.size() <= 3 && std::stoi(key) == i.number) : key == to_lower_ascii(i.code)) return &i;
  }
  return nullptr;
}

bj::object to_json(const aidm::Indicator& i) {
  return bj::object{{"code", i.code},
                    {"number", i.number},
                    {"group", aidm::group_code(i.group)},
                    {"dimension", i.dimension_id},
                    {"dimension_en", i.dimension_en},
                    {"name", i.name_id},
                    {"name_en", i.name_en}};
}

namespace {

bj::value index_json(const std::optional<double>& v) {
  if (!v) return nullptr;
  return aidm::round4(*v);
}

bj::object result_json(const aidm::Result& r) {
  bj::object groups;
  for (aidm::Group g : aidm::kGroups) {
    const auto& gi = r.of(g);
    groups[aidm::group_code(g)] = bj::object{{"index", index_json(gi.index)},
                                             {"scored", gi.scored},
                                             {"sum", gi.sum},
                                             {"name", aidm::group_name_id(g)},
                                             {"name_en", aidm::group_name_en(g)}};
  }
  bj::object o{{"iks", index_json(r.of(aidm::Group::iks).index)},
               {"ike", index_json(r.of(aidm::Group::ike).index)},
               {"ikl", index_json(r.of(aidm::Group::ikl).index)},
               {"idm", index_json(r.idm)},
               {"groups", std::move(groups)}};
  if (r.status) {
    o["status"] = aidm::status_code(*r.status);
    o["status_name"] = aidm::status_name_id(*r.status);
    o["status_name_en"] = aidm::status_name_en(*r.status);
  } else {
    o["status"] = nullptr;
    o["status_name"] = nullptr;
    o["status_name_en"] = nullptr;
  }
  return o;
}

constexpr const char* kColumns =
    "a.id, a.area_id, ar.code, ar.name, ar.full_name, a.year, a.notes, a.source, a.created_at, a.updated_at, "
    "a.version";
constexpr const char* kFrom = " FROM idm_assessments a JOIN areas ar ON ar.id = a.area_id";

void load_scores(db::Connection& c, Assessment& a) {
  std::map<std::string, Score> by_code;
  for (const auto& r :
       c.query("SELECT indicator, score, note FROM idm_scores WHERE assessment_id = $1", {a.id}))
    by_code[r.text_at(0)] = Score{r.text_at(0), static_cast<int>(r.int_at(1)), r.text_at(2)};
  std::vector<aidm::Score> scored;
  for (const auto& def : indicators()) {
    auto it = by_code.find(def.code);
    if (it == by_code.end()) continue;
    a.scores.push_back(it->second);
    scored.push_back({def.group, it->second.score});
  }
  a.result = aidm::compute(scored);
}

Assessment from_row(const db::Row& r) {
  Assessment a;
  a.id = r.int_at(0);
  a.area_id = r.int_at(1);
  a.area_code = r.text_at(2);
  a.area_name = r.text_at(3);
  a.area_full_name = r.text_at(4);
  a.year = static_cast<int>(r.int_at(5));
  a.notes = r.text_at(6);
  a.source = r.text_at(7);
  a.created_at = r.int_at(8);
  a.updated_at = r.int_at(9);
  a.version = r.int_at(10);
  return a;
}

Assessment load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE a.id = $1 AND a.org_id = $2",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no IDM assessment " + std::to_string(id));
  Assessment a = from_row(*row);
  load_scores(c, a);
  return a;
}

// The village an assessment is of: an official region of level 4.
af::AreaRef require_village(db::Connection& c, const OrgScope& s, std::int64_t area_id) {
  af::AreaRef a = af::require_area(c, s, area_id, "area_id");
  if (a.level != 4) throw invalid_field("area_id", "must be a village (desa or kelurahan)");
  return a;
}

Score parse_score(const bj::value& v, const std::string& field) {
  Score sc;
  const bj::value* num = &v;
  if (v.is_object()) {
    const auto& o = v.get_object();
    auto it = o.find("score");
    if (it == o.end()) throw invalid_field(field + ".score", "is required");
    num = &it->value();
    if (auto note = fields::text(o, "note", 2000)) sc.note = *note;
  }
  if (!num->is_int64() || num->get_int64() < aidm::kMinScore || num->get_int64() > aidm::kMaxScore)
    throw invalid_field(field, "must be a whole number from 0 to 5");
  sc.score = static_cast<int>(num->get_int64());
  return sc;
}

void write_scores(db::Connection& c, const OrgScope& s, std::int64_t id,
                  const std::vector<std::pair<std::string, std::optional<Score>>>& scores) {
  for (const auto& [code, score] : scores) {
    c.exec("DELETE FROM idm_scores WHERE assessment_id = $1 AND indicator = $2", {id, code});
    if (score)
      c.exec("INSERT INTO idm_scores(assessment_id, org_id, indicator, score, note) VALUES ($1,$2,$3,$4,$5)",
             {id, s.org_id(), code, static_cast<std::int64_t>(score->score), score->note});
  }
}

std::optional<std::int64_t> existing(db::Connection& c, const OrgScope& s, std::int64_t area_id, int year) {
  return c.query_int("SELECT id FROM idm_assessments WHERE org_id = $1 AND area_id = $2 AND year = $3",
                     {s.org_id(), area_id, static_cast<std::int64_t>(year)});
}

std::int64_t insert_assessment(db::Connection& c, const OrgScope& s, std::int64_t area_id, int year,
                               const std::string& notes, const char* source) {
  const auto now = now_millis();
  return c
      .query_one(
          "INSERT INTO idm_assessments(org_id, area_id, year, notes, source, created_by, created_at, "
          "updated_at) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id",
          {s.org_id(), area_id, static_cast<std::int64_t>(year), notes, std::string(source),
           af::user_or_null(s), now})
      ->int_at(0);
}

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.area_id = json::optional_id(body, "area_id");
  if (auto y = fields::bounded_int(body, "year", 2000, 2100, false)) in.year = static_cast<int>(**y);
  in.notes = fields::text(body, "notes", 20000);
  if (auto it = body.find("scores"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_object())
      throw invalid_field("scores", "must be an object of indicator codes and scores 0–5");
    std::vector<std::pair<std::string, std::optional<Score>>> scores;
    std::set<std::string> seen;
    for (const auto& kv : it->value().get_object()) {
      const std::string field = "scores." + std::string(kv.key());
      const auto* def = find_indicator(kv.key());
      if (!def || to_lower_ascii(def->code) != to_lower_ascii(kv.key()))
        throw invalid_field(field, "is not an IDM indicator code (IKS.01 … IKL.04)");
      if (!seen.insert(def->code).second) throw invalid_field(field, "appears twice");
      if (kv.value().is_null()) {
        scores.emplace_back(def->code, std::nullopt);
      } else {
        Score sc = parse_score(kv.value(), field);
        sc.indicator = def->code;
        scores.emplace_back(def->code, sc);
      }
    }
    in.scores = std::move(scores);
  }
  return in;
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  db::Params params{s.org_id()};
  std::string where = " WHERE a.org_id = $1";
  if (f.area_id) {
    auto area = areas::get(c, s, *f.area_id);
    params.push_back(area.code);
    params.push_back(area.code + ".%");
    // This village, or every village below a district, regency or province.
    where += " AND (ar.code = $2 OR ar.code LIKE $3)";
  }
  if (f.year) {
    params.push_back(static_cast<std::int64_t>(*f.year));
    where += " AND a.year = $" + std::to_string(params.size());
  }
  auto page = fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY ar.full_name, a.year DESC, a.id",
      params, limit, fields::offset_cursor(cursor), [&](const db::Row& r) { return from_row(r); });
  for (auto& a : page.items) load_scores(c, a);
  return page;
}

Assessment get(db::Connection& c, const OrgScope& s, std::int64_t id) { return load(c, s, id); }

Assessment create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::edit_programs);
  if (!in.area_id) throw invalid_field("area_id", "is required");
  if (!in.year) throw invalid_field("year", "is required");
  if (in.scores)
    for (const auto& [code, score] : *in.scores)
      if (!score)
        throw invalid_field("scores." + code, "a new assessment has a score for each indicator given");
  const auto village = require_village(c, s, *in.area_id);
  if (existing(c, s, village.id, *in.year))
    throw Error(ErrorCode::conflict, village.name + " already has an IDM assessment for " +
                                         std::to_string(*in.year) + "; change that one");
  const std::int64_t id = insert_assessment(c, s, village.id, *in.year, in.notes.value_or(""), "entry");
  if (in.scores) write_scores(c, s, id, *in.scores);
  Assessment a = load(c, s, id);
  audit::record(c, s, {{}, "idm_assessment.create", "idm_assessment", std::to_string(id), {}, to_json(a)});
  return a;
}

Assessment update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  const Input& in) {
  s.require(Permission::edit_programs);
  const Assessment before = load(c, s, id);
  af::check_version(before.version, expected_version, "IDM assessment");
  std::int64_t area_id = before.area_id;
  int year = before.year;
  if (in.area_id && *in.area_id != area_id) area_id = require_village(c, s, *in.area_id).id;
  if (in.year) year = *in.year;
  if (area_id != before.area_id || year != before.year) {
    if (existing(c, s, area_id, year))
      throw Error(ErrorCode::conflict,
                  "that village already has an IDM assessment for " + std::to_string(year));
  }
  c.exec(
      "UPDATE idm_assessments SET area_id = $1, year = $2, notes = $3, updated_at = $4, version = version + "
      "1 "
      "WHERE id = $5",
      {area_id, static_cast<std::int64_t>(year), in.notes.value_or(before.notes), now_millis(), id});
  if (in.scores) write_scores(c, s, id, *in.scores);
  Assessment after = load(c, s, id);
  audit::record(
      c, s,
      {{}, "idm_assessment.update", "idm_assessment", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  const Assessment before = load(c, s, id);
  af::check_version(before.version, expected_version, "IDM assessment");
  c.exec("DELETE FROM idm_scores WHERE assessment_id = $1", {id});
  c.exec("DELETE FROM idm_assessments WHERE id = $1", {id});
  audit::record(c, s,
                {{}, "idm_assessment.delete", "idm_assessment", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Assessment& a) {
  bj::array scores;
  for (const auto& sc : a.scores) {
    const auto* def = find_indicator(sc.indicator);
    scores.push_back(bj::object{{"indicator", sc.indicator},
                                {"group", def ? bj::value(aidm::group_code(def->group)) : bj::value()},
                                {"name", def ? bj::value(def->name_id) : bj::value()},
                                {"name_en", def ? bj::value(def->name_en) : bj::value()},
                                {"score", sc.score},
                                {"note", sc.note}});
  }
  bj::object o{{"id", std::to_string(a.id)},
               {"area", bj::object{{"id", std::to_string(a.area_id)},
                                   {"code", a.area_code},
                                   {"name", a.area_name},
                                   {"full_name", a.area_full_name}}},
               {"year", a.year},
               {"notes", a.notes},
               {"source", a.source},
               {"scores", std::move(scores)},
               {"indicators_total", static_cast<std::int64_t>(indicators().size())},
               {"created_at", format_iso8601(a.created_at)},
               {"updated_at", format_iso8601(a.updated_at)},
               {"version", a.version}};
  for (auto& kv : result_json(a.result)) o[kv.key()] = kv.value();
  return o;
}

// -- CSV import ---------------------------------------------------------------------------
namespace {

enum Column { kVillage, kYear, kIndicator, kScore, kNote, kColumnCount };
constexpr const char* kColumnNames[kColumnCount][2] = {{"desa", "village"},
                                                       {"tahun", "year"},
                                                       {"indikator", "indicator"},
                                                       {"skor", "score"},
                                                       {"catatan", "note"}};

// A cell's text as it may be quoted back in an error: short, and only when it is clean UTF-8.
std::string shown(const std::string& cell) {
  if (!is_clean_utf8(cell)) return "(unreadable text)";
  if (cell.size() > 40) return cell.substr(0, 37) + "...";
  return cell;
}

struct ParsedRow {
  std::size_t line = 0;
  std::int64_t area_id = 0;
  std::string area_name;
  int year = 0;
  std::string indicator;
  Score score;
};

}  // namespace

ImportResult import_csv(db::Connection& c, const OrgScope& s, std::string_view text) {
  s.require(Permission::edit_programs);
  std::vector<csv::Row> rows;
  try {
    rows = csv::parse(text, 200000);
  } catch (const csv::ParseError& e) {
    throw Error(ErrorCode::validation, "the CSV file cannot be read",
                {{"row " + std::to_string(e.line), e.what()}});
  }
  if (rows.empty())
    throw Error(ErrorCode::validation, "the CSV file is empty", {{"row 1", "a header row is required"}});
  int at[kColumnCount];
  std::fill(std::begin(at), std::end(at), -1);
  std::vector<FieldError> errors;
  const auto& header = rows[0].fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string h = to_lower_ascii(trim(header[i]));
    bool known = false;
    for (int k = 0; k < kColumnCount; ++k)
      if (h == kColumnNames[k][0] || h == kColumnNames[k][1]) {
        if (at[k] >= 0) errors.push_back({"row 1, column " + shown(header[i]), "appears twice"});
        at[k] = static_cast<int>(i);
        known = true;
      }
    if (!known && !h.empty())
      errors.push_back({"row 1, column " + shown(header[i]),
                        "is not a known column (desa, tahun, indikator, skor, catatan or village, year, "
                        "indicator, score, note)"});
  }
  for (int k = 0; k < kNote; ++k)
    if (at[k] < 0)
      errors.push_back({"row 1", std::string("the column '") + kColumnNames[k][0] + "' (or '" +
                                     kColumnNames[k][1] + "') is missing"});
  if (!errors.empty()) throw Error(ErrorCode::validation, "the CSV header is not right", std::move(errors));

  std::map<std::string, std::optional<areas::Area>> villages;              // by code, looked up once
  std::map<std::tuple<std::int64_t, int, std::string>, std::size_t> seen;  // → line
  std::vector<ParsedRow> parsed;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (errors.size() >= kMaxImportErrors) break;
    const auto& f = rows[r].fields;
    const std::size_t line = rows[r].line;
    auto cell = [&](Column k) {
      return at[k] >= 0 && static_cast<std::size_t>(at[k]) < f.size() ? trim(f[at[k]]) : std::string();
    };
    auto bad = [&](Column k, std::string message) {
      errors.push_back(
          {"row " + std::to_string(line) + ", column " + kColumnNames[k][0], std::move(message)});
    };
    ParsedRow p;
    p.line = line;
    bool ok = true;
    const std::string code = cell(kVillage);
    if (code.empty()) {
      bad(kVillage, "is empty: write the village's Kemendagri code, e.g. 53.02.03.2003");
      ok = false;
    } else if (!is_clean_utf8(code) || code.size() > 40) {
      // Never sent to the database: PostgreSQL refuses text that is not UTF-8.
      bad(kVillage, "'" + shown(code) + "' is not a Kemendagri region code");
      ok = false;
    } else {
      auto it = villages.find(code);
      if (it == villages.end()) it = villages.emplace(code, areas::find_by_code(c, code)).first;
      if (!it->second) {
        bad(kVillage, "'" + shown(code) + "' is not a Kemendagri region code");
        ok = false;
      } else if (it->second->level != 4) {
        bad(kVillage, "'" + shown(code) + "' (" + it->second->name + ") is not a village");
        ok = false;
      } else {
        p.area_id = it->second->id;
        p.area_name = it->second->name;
      }
    }
    const std::string year = cell(kYear);
    if (year.size() != 4 ||
        !std::all_of(year.begin(), year.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
        std::stoi(year) < 2000 || std::stoi(year) > 2100) {
      bad(kYear, "'" + shown(year) + "' is not a year from 2000 to 2100");
      ok = false;
    } else {
      p.year = std::stoi(year);
    }
    const auto* def = find_indicator(cell(kIndicator));
    if (!def) {
      bad(kIndicator, "'" + shown(cell(kIndicator)) +
                          "' is not an IDM indicator (a code such as IKS.01, or 1–" +
                          std::to_string(indicators().size()) + ")");
      ok = false;
    } else {
      p.indicator = def->code;
    }
    const std::string score = cell(kScore);
    if (score.size() != 1 || score[0] < '0' || score[0] > '5') {
      bad(kScore, "'" + shown(score) + "' is not a whole number from 0 to 5");
      ok = false;
    } else {
      p.score = Score{p.indicator, score[0] - '0', cell(kNote)};
    }
    if (p.score.note.size() > 2000) {
      bad(kNote, "is longer than 2000 bytes");
      ok = false;
    }
    if (!is_clean_utf8(p.score.note)) {
      bad(kNote, "is not valid UTF-8 text");
      ok = false;
    }
    if (!ok) continue;
    auto [dup, fresh] = seen.emplace(std::make_tuple(p.area_id, p.year, p.indicator), line);
    if (!fresh) {
      bad(kIndicator, p.indicator + " of " + p.area_name + " " + std::to_string(p.year) +
                          " is already on row " + std::to_string(dup->second));
      continue;
    }
    parsed.push_back(std::move(p));
  }
  if (!errors.empty()) {
    const std::string more =
        errors.size() >= kMaxImportErrors ? " (the first " + std::to_string(kMaxImportErrors) + ")" : "";
    // The message is built before the details are moved into the error (argument order is unspecified).
    std::string message =
        std::to_string(errors.size()) + " problem(s) in the CSV file" + more + "; nothing was imported";
    throw Error(ErrorCode::validation, std::move(message), std::move(errors));
  }
  if (parsed.empty())
    throw Error(ErrorCode::validation, "the CSV file has no scores", {{"row 2", "no data rows"}});

  // Group by village and year, in the file's order of first appearance.
  std::vector<std::pair<std::int64_t, int>> order;
  std::map<std::pair<std::int64_t, int>, std::vector<const ParsedRow*>> groups;
  for (const auto& p : parsed) {
    auto key = std::make_pair(p.area_id, p.year);
    auto& g = groups[key];
    if (g.empty()) order.push_back(key);
    g.push_back(&p);
  }
  ImportResult out;
  out.rows = static_cast<std::int64_t>(parsed.size());
  for (const auto& key : order) {
    std::vector<std::pair<std::string, std::optional<Score>>> scores;
    for (const auto* p : groups[key]) scores.emplace_back(p->indicator, p->score);
    if (auto found = existing(c, s, key.first, key.second)) {
      const Assessment before = load(c, s, *found);
      c.exec("DELETE FROM idm_scores WHERE assessment_id = $1", {*found});
      c.exec(
          "UPDATE idm_assessments SET source = 'import', updated_at = $1, version = version + 1 WHERE id = "
          "$2",
          {now_millis(), *found});
      write_scores(c, s, *found, scores);
      Assessment after = load(c, s, *found);
      audit::record(c, s,
                    {{},
                     "idm_assessment.import",
                     "idm_assessment",
                     std::to_string(*found),
                     to_json(before),
                     to_json(after)});
      out.updated.push_back(std::move(after));
    } else {
      const std::int64_t id = insert_assessment(c, s, key.first, key.second, "", "import");
      write_scores(c, s, id, scores);
      Assessment a = load(c, s, id);
      audit::record(c, s,
                    {{}, "idm_assessment.import", "idm_assessment", std::to_string(id), {}, to_json(a)});
      out.created.push_back(std::move(a));
    }
  }
  return out;
}

// -- history and weakest ------------------------------------------------------------------
bj::object history(db::Connection& c, const OrgScope& s, std::int64_t area_id) {
  s.require(Permission::read);
  const auto village = require_village(c, s, area_id);
  std::vector<Assessment> all;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + kFrom +
                                   " WHERE a.org_id = $1 AND a.area_id = $2 ORDER BY a.year",
                               {s.org_id(), village.id})) {
    all.push_back(from_row(r));
  }
  bj::array years;
  const Assessment* prev = nullptr;
  for (auto& a : all) {
    load_scores(c, a);
    bj::object y{{"assessment_id", std::to_string(a.id)}, {"year", a.year}};
    for (auto& kv : result_json(a.result)) y[kv.key()] = kv.value();
    y.erase("groups");
    auto diff = [&](std::optional<double> now, std::optional<double> before) -> bj::value {
      if (!now || !before) return nullptr;
      return aidm::round4(aidm::round4(*now) - aidm::round4(*before));
    };
    if (prev) {
      y["change"] = bj::object{
          {"from_year", prev->year},
          {"iks", diff(a.result.of(aidm::Group::iks).index, prev->result.of(aidm::Group::iks).index)},
          {"ike", diff(a.result.of(aidm::Group::ike).index, prev->result.of(aidm::Group::ike).index)},
          {"ikl", diff(a.result.of(aidm::Group::ikl).index, prev->result.of(aidm::Group::ikl).index)},
          {"idm", diff(a.result.idm, prev->result.idm)}};
    } else {
      y["change"] = nullptr;
    }
    years.push_back(std::move(y));
    prev = &a;
  }
  return bj::object{{"area", bj::object{{"id", std::to_string(village.id)},
                                        {"code", village.code},
                                        {"name", village.name},
                                        {"full_name", village.full_name}}},
                    {"years", std::move(years)}};
}

bj::object weakest(db::Connection& c, const OrgScope& s, std::int64_t assessment_id, int limit) {
  const Assessment a = load(c, s, assessment_id);
  std::vector<const Score*> order;
  for (const auto& sc : a.scores) order.push_back(&sc);
  // Stable: ties keep the questionnaire order the scores are in.
  std::stable_sort(order.begin(), order.end(),
                   [](const Score* x, const Score* y) { return x->score < y->score; });
  if (static_cast<int>(order.size()) > limit) order.resize(limit);
  bj::array items;
  for (const Score* sc : order) {
    const auto* def = find_indicator(sc->indicator);
    LinkFilter lf;
    lf.indicator = sc->indicator;
    bj::array problems, programs_out;
    for (const auto& l : links(c, s, lf)) {
      bj::object o{{"link_id", std::to_string(l.id)}, {"title", l.title}};
      if (l.problem_id) {
        o["id"] = std::to_string(*l.problem_id);
        problems.push_back(std::move(o));
      } else {
        o["id"] = std::to_string(*l.program_id);
        programs_out.push_back(std::move(o));
      }
    }
    bj::object item = def ? to_json(*def) : bj::object{{"code", sc->indicator}};
    item["score"] = sc->score;
    item["note"] = sc->note;
    item["problems"] = std::move(problems);
    item["programs"] = std::move(programs_out);
    items.push_back(std::move(item));
  }
  bj::array unscored;
  std::set<std::string> have;
  for (const auto& sc : a.scores) have.insert(sc.indicator);
  for (const auto& def : indicators())
    if (!have.count(def.code)) unscored.push_back(bj::value(def.code));
  return bj::object{{"assessment_id", std::to_string(a.id)},
                    {"year", a.year},
                    {"area", bj::object{{"id", std::to_string(a.area_id)}, {"name", a.area_name}}},
                    {"items", std::move(items)},
                    {"unscored", std::move(unscored)}};
}

// -- links --------------------------------------------------------------------------------
namespace {

Link link_from_row(const db::Row& r) {
  Link l;
  l.id = r.int_at(0);
  l.indicator = r.text_at(1);
  l.problem_id = r.opt_int(2);
  l.program_id = r.opt_int(3);
  l.title = r.text_at(4);
  l.created_at = r.int_at(5);
  return l;
}

constexpr const char* kLinkSelect =
    "SELECT l.id, l.indicator, l.problem_id, l.program_id, COALESCE(p.title, g.name, ''), l.created_at "
    "FROM idm_links l LEFT JOIN problems p ON p.id = l.problem_id LEFT JOIN programs g ON g.id = "
    "l.program_id";

}  // namespace

std::vector<Link> links(db::Connection& c, const OrgScope& s, const LinkFilter& f) {
  s.require(Permission::read);
  db::Params params{s.org_id()};
  std::string where = " WHERE l.org_id = $1 AND (l.problem_id IS NULL OR p.deleted_at IS NULL)";
  // Programs: only those the scope sees, and not deleted.
  where += " AND (l.program_id IS NULL OR (g.deleted_at IS NULL AND " +
           programs::visible_condition(s, "l.program_id", params) + "))";
  if (f.indicator) {
    params.push_back(*f.indicator);
    where += " AND l.indicator = $" + std::to_string(params.size());
  }
  if (f.problem_id) {
    params.push_back(*f.problem_id);
    where += " AND l.problem_id = $" + std::to_string(params.size());
  }
  if (f.program_id) {
    params.push_back(*f.program_id);
    where += " AND l.program_id = $" + std::to_string(params.size());
  }
  std::vector<Link> out;
  for (const auto& r : c.query(std::string(kLinkSelect) + where + " ORDER BY l.indicator, l.id", params))
    out.push_back(link_from_row(r));
  return out;
}

Link create_link(db::Connection& c, const OrgScope& s, const bj::object& body) {
  s.require(Permission::edit_programs);
  auto code = json::optional_string(body, "indicator", 20);
  if (!code) throw invalid_field("indicator", "is required");
  const auto* def = find_indicator(*code);
  if (!def) throw invalid_field("indicator", "is not an IDM indicator code (IKS.01 … IKL.04)");
  auto problem = json::optional_id(body, "problem_id");
  auto program = json::optional_id(body, "program_id");
  if (problem.has_value() == program.has_value())
    throw invalid_field(problem ? "program_id" : "problem_id",
                        "give exactly one of problem_id and program_id");
  if (problem) {
    if (!c.query_int("SELECT 1 FROM problems WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL",
                     {*problem, s.org_id()}))
      throw invalid_field("problem_id", "is not a problem of this organisation");
    if (c.query_int("SELECT 1 FROM idm_links WHERE indicator = $1 AND problem_id = $2",
                    {def->code, *problem}))
      throw Error(ErrorCode::conflict, "the problem is already linked to " + def->code);
  } else {
    try {
      programs::require_visible(c, s, *program);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::not_found) throw;
      throw invalid_field("program_id", "is not a program of this organisation");
    }
    if (c.query_int("SELECT 1 FROM idm_links WHERE indicator = $1 AND program_id = $2",
                    {def->code, *program}))
      throw Error(ErrorCode::conflict, "the program is already linked to " + def->code);
  }
  const std::int64_t id =
      c.query_one(
           "INSERT INTO idm_links(org_id, indicator, problem_id, program_id, created_by, created_at) "
           "VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
           {s.org_id(), def->code, problem, program, af::user_or_null(s), now_millis()})
          ->int_at(0);
  auto row = c.query_one(std::string(kLinkSelect) + " WHERE l.id = $1", {id});
  Link l = link_from_row(*row);
  audit::record(c, s, {{}, "idm_link.create", "idm_link", std::to_string(id), {}, to_json(l)});
  return l;
}

void remove_link(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::edit_programs);
  auto row = c.query_one(std::string(kLinkSelect) + " WHERE l.id = $1 AND l.org_id = $2", {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no IDM link " + std::to_string(id));
  Link l = link_from_row(*row);
  if (l.program_id) programs::require_visible(c, s, *l.program_id);
  c.exec("DELETE FROM idm_links WHERE id = $1", {id});
  audit::record(c, s, {{}, "idm_link.delete", "idm_link", std::to_string(id), to_json(l), {}});
}

bj::object to_json(const Link& l) {
  return bj::object{{"id", std::to_string(l.id)},
                    {"indicator", l.indicator},
                    {"problem_id", af::id_json(l.problem_id)},
                    {"program_id", af::id_json(l.program_id)},
                    {"title", l.title},
                    {"created_at", format_iso8601(l.created_at)}};
}

}  // namespace gotong::domain::idm
