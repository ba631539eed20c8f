#include "domain/evaluations.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/activity_fields.hpp"
#include "domain/audit.hpp"
#include "domain/evaluations_spec.hpp"
#include "domain/indicators.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::evaluations {

namespace bj = boost::json;
namespace af = activity_fields;

// -- reference texts --------------------------------------------------------------------------
std::string_view rating_label_id(int rating) {
  switch (rating) {
    case 1:
      return "Tidak memuaskan";
    case 2:
      return "Kurang memuaskan";
    case 3:
      return "Memuaskan";
    case 4:
      return "Sangat memuaskan";
  }
  return "";
}

std::string_view rating_label_en(int rating) {
  switch (rating) {
    case 1:
      return "Unsatisfactory";
    case 2:
      return "Partly unsatisfactory";
    case 3:
      return "Satisfactory";
    case 4:
      return "Highly satisfactory";
  }
  return "";
}

namespace {

struct CriterionText {
  const char* key;
  const char* name_id;
  const char* name_en;
  const char* question_id;
  const char* question_en;
};
// OECD-DAC "Better Criteria for Better Evaluation" (2019): the six criteria and their questions.
constexpr CriterionText kCriterionTexts[] = {
    {"relevance", "Relevansi", "Relevance", "Apakah program melakukan hal yang tepat?",
     "Is the intervention doing the right things?"},
    {"coherence", "Koherensi", "Coherence", "Seberapa selaras program dengan kegiatan lain di desa?",
     "How well does the intervention fit?"},
    {"effectiveness", "Efektivitas", "Effectiveness", "Apakah program mencapai tujuannya?",
     "Is the intervention achieving its objectives?"},
    {"efficiency", "Efisiensi", "Efficiency", "Seberapa baik sumber daya digunakan?",
     "How well are resources being used?"},
    {"impact", "Dampak", "Impact", "Perubahan apa yang dihasilkan program?",
     "What difference does the intervention make?"},
    {"sustainability", "Keberlanjutan", "Sustainability", "Apakah manfaatnya akan bertahan?",
     "Will the benefits last?"},
};

const CriterionText* criterion_text(std::string_view key) {
  for (const auto& t : kCriterionTexts)
    if (key == t.key) return &t;
  return nullptr;
}

}  // namespace

std::string_view criterion_name_id(std::string_view c) {
  return criterion_text(c) ? criterion_text(c)->name_id : "";
}
std::string_view criterion_name_en(std::string_view c) {
  return criterion_text(c) ? criterion_text(c)->name_en : "";
}
std::string_view criterion_question_id(std::string_view c) {
  return criterion_text(c) ? criterion_text(c)->question_id : "";
}
std::string_view criterion_question_en(std::string_view c) {
  return criterion_text(c) ? criterion_text(c)->question_en : "";
}

bj::object criteria_reference() {
  bj::array criteria, scale;
  for (const auto& t : kCriterionTexts)
    criteria.push_back(bj::object{{"criterion", t.key},
                                  {"name", t.name_id},
                                  {"name_en", t.name_en},
                                  {"question", t.question_id},
                                  {"question_en", t.question_en}});
  for (int r = 1; r <= 4; ++r)
    scale.push_back(
        bj::object{{"rating", r}, {"label", rating_label_id(r)}, {"label_en", rating_label_en(r)}});
  return bj::object{{"criteria", std::move(criteria)}, {"scale", std::move(scale)}};
}

// -- the variable's spec ----------------------------------------------------------------------
namespace detail {

std::optional<std::int64_t> latest_version(db::Connection& c, std::int64_t form_id) {
  return c.query_int("SELECT MAX(id) FROM form_versions WHERE form_id = $1 AND status <> 'draft'", {form_id});
}

Resolved resolve(db::Connection& c, const OrgScope& s, const Variable& v, const Round& r,
                 std::optional<int> cluster_level, const std::string& field) {
  Resolved out;
  analytics::Spec& spec = out.spec;
  spec.frequency = analytics::Frequency::life_of_program;
  spec.start = r.from.value_or("0000-01-01");
  spec.end = r.to.value_or("9999-12-31");
  if (cluster_level) {
    analytics::Dimension d;
    d.name = "cluster";
    d.kind = analytics::Dimension::Kind::area;
    d.level = *cluster_level;
    spec.dimensions.push_back(d);
  }
  // Which member of the variable each member of the spec comes from, for error messages.
  std::string value_member = "field", filter_member = "filter", denominator_member = "filter";
  if (v.kind == "indicator") {
    const indicators::Indicator ind = indicators::get(c, s, *v.indicator_id);
    if (!ind.computation)
      throw invalid_field(field + ".indicator_id",
                          "only an indicator computed from submissions can be compared");
    const auto& k = *ind.computation;
    if (k.form_id != r.form_id)
      throw invalid_field(field + ".indicator_id",
                          "the indicator is computed from another form than the rounds'");
    spec.unit = k.unit;
    value_member = filter_member = denominator_member = "indicator_id";
    if (k.calculation == "mean" || k.calculation == "median" || k.calculation == "sum") {
      out.measure = Measure::mean;
      spec.calculation = analytics::Calculation::median;
      spec.value_field = k.value_field;
      spec.filter = k.filter;
    } else if (k.calculation == "percentage") {
      out.measure = Measure::proportion;
      spec.calculation = analytics::Calculation::percentage;
      spec.filter = k.filter;
      spec.denominator_filter = k.denominator_filter;
    } else {
      throw invalid_field(
          field + ".indicator_id",
          "only indicators that are a mean, median, sum or percentage can be compared unit by unit");
    }
  } else if (v.kind == "mean") {
    out.measure = Measure::mean;
    spec.calculation = analytics::Calculation::median;  // keeps every value: the spread is needed
    spec.unit = v.unit;
    spec.value_field = v.field;
    spec.filter = v.filter;
  } else {
    out.measure = Measure::proportion;
    spec.calculation = analytics::Calculation::percentage;
    spec.unit = v.unit;
    spec.filter = v.expression;
    spec.denominator_filter = v.filter;
    filter_member = "expression";
    denominator_member = "filter";
  }
  // Checked against the newest version the round reads: a field dropped later is still fine.
  std::optional<std::int64_t> version = latest_version(c, r.form_id);
  if (!r.version_ids.empty()) version = *std::max_element(r.version_ids.begin(), r.version_ids.end());
  if (!version) throw invalid_field(field, "the round's form has no published version");
  auto cv = submissions::compiled_version(c, *version);
  try {
    analytics::Plan check(cv->schema, cv->layout, spec, true);
  } catch (const analytics::PlanError& e) {
    std::string member = e.field;
    if (member == "value_field")
      member = value_member;
    else if (member == "filter")
      member = filter_member;
    else if (member == "denominator_filter")
      member = denominator_member;
    else if (member.rfind("dimensions", 0) == 0)
      member = "cluster_level";
    throw invalid_field(member == "cluster_level" ? "cluster_level" : field + "." + member, e.what());
  }
  return out;
}

}  // namespace detail

// -- reading ----------------------------------------------------------------------------------
namespace {

std::vector<std::int64_t> ids_from_json(const std::string& text) {
  std::vector<std::int64_t> out;
  try {
    const bj::value parsed = json::parse(text);
    for (const auto& v : parsed.as_array())
      if (v.is_int64()) out.push_back(v.get_int64());
  } catch (const std::exception&) {
  }
  return out;
}

std::vector<std::string> strings_from_json(const std::string& text) {
  std::vector<std::string> out;
  try {
    const bj::value parsed = json::parse(text);
    for (const auto& v : parsed.as_array())
      if (v.is_string()) out.emplace_back(v.get_string());
  } catch (const std::exception&) {
  }
  return out;
}

constexpr const char* kColumns =
    "e.id, e.program_id, p.name, e.title, e.description, e.cluster_level, e.lessons, e.created_at, "
    "e.updated_at, "
    "e.version";
constexpr const char* kFrom = " FROM evaluations e JOIN programs p ON p.id = e.program_id";

Evaluation load_row(db::Connection& c, const db::Row& r) {
  Evaluation e;
  e.id = r.int_at(0);
  e.program_id = r.int_at(1);
  e.program_name = r.text_at(2);
  e.title = r.text_at(3);
  e.description = r.text_at(4);
  if (auto lvl = r.opt_int(5)) e.cluster_level = static_cast<int>(*lvl);
  try {
    const bj::value lessons = json::parse(r.text_at(6));
    for (const auto& l : lessons.as_array()) {
      const auto& o = l.as_object();
      e.lessons.push_back({std::string(o.at("text").as_string()), std::string(o.at("category").as_string())});
    }
  } catch (const std::exception&) {
  }
  e.created_at = r.int_at(7);
  e.updated_at = r.int_at(8);
  e.version = r.int_at(9);
  for (const auto& row : c.query("SELECT r.round, r.form_id, f.title, r.version_ids, r.date_from, r.date_to "
                                 "FROM evaluation_rounds r "
                                 "JOIN forms f ON f.id = r.form_id WHERE r.evaluation_id = $1",
                                 {e.id})) {
    Round& round = row.text_at(0) == "baseline" ? e.baseline : e.endline;
    round.form_id = row.int_at(1);
    round.form_title = row.text_at(2);
    round.version_ids = ids_from_json(row.text_at(3));
    round.from = row.opt_text(4);
    round.to = row.opt_text(5);
  }
  for (const auto& row :
       c.query("SELECT id, label, label_en, kind, field, expression, filter, unit, indicator_id, unit_label, "
               "unit_label_en, "
               "desired FROM evaluation_variables WHERE evaluation_id = $1 ORDER BY position",
               {e.id})) {
    Variable v;
    v.id = row.int_at(0);
    v.label = row.text_at(1);
    v.label_en = row.text_at(2);
    v.kind = row.text_at(3);
    v.field = row.text_at(4);
    v.expression = row.text_at(5);
    v.filter = row.text_at(6);
    v.unit = row.text_at(7);
    v.indicator_id = row.opt_int(8);
    v.unit_label = row.text_at(9);
    v.unit_label_en = row.text_at(10);
    v.desired = row.text_at(11);
    e.variables.push_back(std::move(v));
  }
  for (const auto& row : c.query(
           "SELECT ea.arm, a.id, a.level, COALESCE(a.code, ''), a.name, a.full_name FROM evaluation_areas ea "
           "JOIN areas a ON a.id = ea.area_id WHERE ea.evaluation_id = $1 ORDER BY a.code, a.id",
           {e.id})) {
    AreaRef a{row.int_at(1), static_cast<int>(row.int_at(2)), row.text_at(3), row.text_at(4), row.text_at(5)};
    (row.text_at(0) == "treatment" ? e.treatment : e.control).push_back(std::move(a));
  }
  std::map<std::string, Criterion> stored;
  for (const auto& row : c.query(
           "SELECT criterion, rating, evidence, narrative FROM evaluation_criteria WHERE evaluation_id = $1",
           {e.id})) {
    Criterion k;
    k.criterion = row.text_at(0);
    if (auto rating = row.opt_int(1)) k.rating = static_cast<int>(*rating);
    k.evidence = strings_from_json(row.text_at(2));
    k.narrative = row.text_at(3);
    stored[k.criterion] = std::move(k);
  }
  for (const char* key : kCriteria) {
    auto it = stored.find(key);
    e.criteria.push_back(it != stored.end() ? it->second : Criterion{key, std::nullopt, {}, ""});
  }
  return e;
}

Evaluation load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom +
                             " WHERE e.id = $1 AND e.org_id = $2 AND e.deleted_at IS NULL",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no evaluation " + std::to_string(id));
  // Partners: only when they see the program (same answer as a missing evaluation).
  programs::require_visible(c, s, row->int_at(1));
  return load_row(c, *row);
}

// -- parsing and writing ----------------------------------------------------------------------
// Runs `f`, naming the member of a nested object at fault by its full path ("baseline.from").
template <class F>
auto prefixed(const std::string& prefix, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::validation || e.details().empty()) throw;
    std::vector<FieldError> details = e.details();
    for (auto& d : details)
      if (d.field.rfind(prefix + ".", 0) != 0 && d.field.rfind(prefix + "[", 0) != 0 && d.field != prefix)
        d.field = prefix + "." + d.field;
    std::string message = details[0].field + ": " + details[0].message;
    throw Error(ErrorCode::validation, std::move(message), std::move(details));
  }
}

Round parse_round(db::Connection& c, const OrgScope& s, const bj::object& o, const std::string& field) {
  Round r;
  auto form = json::optional_id(o, "form_id");
  if (!form) throw invalid_field(field + ".form_id", "is required");
  if (!c.query_int("SELECT 1 FROM forms WHERE id = $1 AND org_id = $2", {*form, s.org_id()}))
    throw invalid_field(field + ".form_id", "is not a form of this organisation");
  r.form_id = *form;
  if (auto ids = fields::ids(o, "version_ids", 100)) {
    for (std::size_t i = 0; i < ids->size(); ++i)
      if (!c.query_int("SELECT 1 FROM form_versions WHERE id = $1 AND form_id = $2 AND status <> 'draft'",
                       {(*ids)[i], r.form_id}))
        throw invalid_field(field + ".version_ids[" + std::to_string(i) + "]",
                            "is not a published version of the round's form");
    r.version_ids = *ids;
  }
  r.from = prefixed(field, [&] { return fields::date(o, "from"); });
  r.to = prefixed(field, [&] { return fields::date(o, "to"); });
  if (r.from && r.to && *r.from > *r.to) throw invalid_field(field + ".to", "must not be before 'from'");
  if (r.version_ids.empty() && !r.from && !r.to)
    throw invalid_field(field, "name the form's versions (version_ids) or a range of dates (from, to)");
  return r;
}

Variable parse_variable(const bj::value& value, const std::string& field) {
  if (!value.is_object()) throw invalid_field(field, "must be an object");
  const auto& o = value.as_object();
  Variable v;
  v.label = fields::text(o, "label", 300, true).value_or("");
  if (v.label.empty()) throw invalid_field(field + ".label", "is required");
  v.label_en = fields::text(o, "label_en", 300).value_or("");
  v.kind = json::optional_string(o, "kind", 20).value_or("");
  if (!af::one_of(v.kind, {"mean", "proportion", "indicator"}))
    throw invalid_field(field + ".kind", "must be mean, proportion or indicator");
  v.field = fields::text(o, "field", 200).value_or("");
  v.expression = fields::text(o, "expression", 2000).value_or("");
  v.filter = fields::text(o, "filter", 2000).value_or("");
  v.unit = fields::text(o, "unit", 200).value_or("");
  v.unit_label = fields::text(o, "unit_label", 60).value_or("");
  v.unit_label_en = fields::text(o, "unit_label_en", 60).value_or("");
  v.desired = json::optional_string(o, "desired", 20).value_or("none");
  if (!af::one_of(v.desired, {"increase", "decrease", "none"}))
    throw invalid_field(field + ".desired", "must be increase, decrease or none");
  const std::string choice = fields::text(o, "choice", 200).value_or("");
  if (v.kind == "mean" && v.field.empty()) throw invalid_field(field + ".field", "is required for a mean");
  if (v.kind == "proportion") {
    if (!choice.empty()) {
      // A choice of a select field: the same as the expression selected(${field}, 'choice').
      if (v.field.empty()) throw invalid_field(field + ".field", "is required with 'choice'");
      if (!v.expression.empty()) throw invalid_field(field + ".choice", "give either choice or expression");
      if (choice.find('\'') != std::string::npos)
        throw invalid_field(field + ".choice", "must not contain quotes");
      v.expression = "selected(${" + v.field + "}, '" + choice + "')";
    }
    if (v.expression.empty()) throw invalid_field(field + ".expression", "is required for a proportion");
  }
  if (v.kind == "indicator") {
    v.indicator_id = json::optional_id(o, "indicator_id");
    if (!v.indicator_id) throw invalid_field(field + ".indicator_id", "is required");
  }
  return v;
}

std::vector<std::string> parse_strings(const bj::object& o, std::string_view name, const std::string& field,
                                       std::size_t max_items, std::size_t max_len) {
  std::vector<std::string> out;
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) throw invalid_field(field, "must be an array of texts");
  const auto& a = it->value().get_array();
  if (a.size() > max_items)
    throw invalid_field(field, "must have at most " + std::to_string(max_items) + " items");
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string() || a[i].get_string().size() > max_len)
      throw invalid_field(field + "[" + std::to_string(i) + "]",
                          "must be a text of at most " + std::to_string(max_len) + " bytes");
    out.emplace_back(a[i].get_string());
  }
  return out;
}

std::vector<AreaRef> require_areas(db::Connection& c, const OrgScope& s, const std::vector<std::int64_t>& ids,
                                   const std::string& field) {
  std::vector<AreaRef> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto a = af::require_area(c, s, ids[i], field + "[" + std::to_string(i) + "]");
    out.push_back({a.id, a.level, a.code, a.name, a.full_name});
  }
  return out;
}

bool nested(const std::string& a, const std::string& b) {
  return a == b || a.rfind(b + ".", 0) == 0 || b.rfind(a + ".", 0) == 0;
}

// Everything that needs more than one member at once: rounds, variables, areas and clusters.
void check_design(db::Connection& c, const OrgScope& s, const Evaluation& e) {
  for (std::size_t i = 0; i < e.treatment.size(); ++i)
    for (const auto& ctl : e.control)
      if (nested(e.treatment[i].code, ctl.code))
        throw invalid_field("control_area_ids",
                            ctl.name + " overlaps the treatment area " + e.treatment[i].name);
  if (e.control.empty() != e.treatment.empty())
    throw invalid_field(e.control.empty() ? "control_area_ids" : "treatment_area_ids",
                        "a comparison needs both treatment and control areas");
  if (e.cluster_level) {
    for (const auto* arm : {&e.treatment, &e.control})
      for (const auto& a : *arm)
        if (a.level > *e.cluster_level)
          throw invalid_field("cluster_level", "must be at least the level of every compared area (" +
                                                   a.name + " is at level " + std::to_string(a.level) + ")");
  }
  for (std::size_t i = 0; i < e.variables.size(); ++i) {
    const std::string field = "variables[" + std::to_string(i) + "]";
    const auto& v = e.variables[i];
    if (v.kind == "indicator") {
      const auto ind = indicators::get(c, s, *v.indicator_id);
      if (ind.program_id != e.program_id)
        throw invalid_field(field + ".indicator_id", "is not an indicator of this program");
    }
    detail::resolve(c, s, v, e.baseline, e.cluster_level, field);
    detail::resolve(c, s, v, e.endline, e.cluster_level, field);
  }
}

std::string ids_json(const std::vector<std::int64_t>& ids) {
  bj::array a;
  for (auto id : ids) a.push_back(id);
  return json::serialize(a);
}

std::string strings_json(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& x : v) a.push_back(bj::value(x));
  return json::serialize(a);
}

std::string lessons_json(const std::vector<Lesson>& v) {
  bj::array a;
  for (const auto& l : v) a.push_back(bj::object{{"text", l.text}, {"category", l.category}});
  return json::serialize(a);
}

// Applies the input to `e` (validating what needs the database).
void apply(db::Connection& c, const OrgScope& s, Evaluation& e, const Input& in) {
  if (in.title) e.title = *in.title;
  if (in.description) e.description = *in.description;
  if (in.baseline)
    e.baseline = prefixed("baseline", [&] { return parse_round(c, s, *in.baseline, "baseline"); });
  if (in.endline) e.endline = prefixed("endline", [&] { return parse_round(c, s, *in.endline, "endline"); });
  if (in.variables) {
    if (in.variables->size() > 50) throw invalid_field("variables", "must have at most 50 variables");
    e.variables.clear();
    for (std::size_t i = 0; i < in.variables->size(); ++i) {
      const std::string field = "variables[" + std::to_string(i) + "]";
      e.variables.push_back(prefixed(field, [&] { return parse_variable((*in.variables)[i], field); }));
    }
  }
  if (in.treatment_area_ids) e.treatment = require_areas(c, s, *in.treatment_area_ids, "treatment_area_ids");
  if (in.control_area_ids) e.control = require_areas(c, s, *in.control_area_ids, "control_area_ids");
  if (in.cluster_level)
    e.cluster_level = in.cluster_level->has_value() ? std::optional<int>(static_cast<int>(**in.cluster_level))
                                                    : std::nullopt;
  if (e.control.empty()) {
    e.cluster_level.reset();
  } else if (!e.cluster_level) {
    // The clusters default to the deepest compared area: each cluster then lies in one arm.
    int deepest = 0;
    for (const auto* arm : {&e.treatment, &e.control})
      for (const auto& a : *arm) deepest = std::max(deepest, a.level);
    e.cluster_level = deepest;
  }
  if (in.criteria) {
    for (const auto& kv : *in.criteria) {
      const std::string key(kv.key());
      auto it = std::find_if(e.criteria.begin(), e.criteria.end(),
                             [&](const Criterion& k) { return k.criterion == key; });
      if (it == e.criteria.end())
        throw invalid_field(
            "criteria." + key,
            "is not an OECD-DAC criterion (relevance, coherence, effectiveness, efficiency, impact, "
            "sustainability)");
      if (!kv.value().is_object())
        throw invalid_field("criteria." + key, "must be an object {rating, evidence, narrative}");
      const auto& o = kv.value().get_object();
      Criterion k{key, std::nullopt, {}, ""};
      const std::string at = "criteria." + key;
      if (auto r = prefixed(at, [&] { return fields::bounded_int(o, "rating", 1, 4, true); })) {
        if (*r) k.rating = static_cast<int>(**r);
      }
      k.evidence = parse_strings(o, "evidence", at + ".evidence", 50, 2000);
      k.narrative = prefixed(at, [&] { return fields::text(o, "narrative", 20000); }).value_or("");
      *it = std::move(k);
    }
  }
  if (in.lessons) {
    if (in.lessons->size() > 100) throw invalid_field("lessons", "must have at most 100 lessons");
    e.lessons.clear();
    for (std::size_t i = 0; i < in.lessons->size(); ++i) {
      const std::string field = "lessons[" + std::to_string(i) + "]";
      const auto& v = (*in.lessons)[i];
      Lesson l;
      if (v.is_string()) {
        l.text = std::string(v.get_string());
      } else if (v.is_object()) {
        l.text = prefixed(field, [&] { return fields::text(v.get_object(), "text", 5000); }).value_or("");
        l.category =
            prefixed(field, [&] { return fields::text(v.get_object(), "category", 100); }).value_or("");
      } else {
        throw invalid_field(field, "must be a text or {text, category}");
      }
      if (l.text.empty() || l.text.size() > 5000)
        throw invalid_field(field, "must be a text of 1 to 5000 bytes");
      e.lessons.push_back(std::move(l));
    }
  }
}

void write_parts(db::Connection& c, const OrgScope& s, const Evaluation& e) {
  c.exec("DELETE FROM evaluation_rounds WHERE evaluation_id = $1", {e.id});
  for (const auto* r : {&e.baseline, &e.endline})
    c.exec(
        "INSERT INTO evaluation_rounds(evaluation_id, round, org_id, form_id, version_ids, date_from, "
        "date_to) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7)",
        {e.id, std::string(r == &e.baseline ? "baseline" : "endline"), s.org_id(), r->form_id,
         ids_json(r->version_ids), r->from, r->to});
  c.exec("DELETE FROM evaluation_variables WHERE evaluation_id = $1", {e.id});
  for (std::size_t i = 0; i < e.variables.size(); ++i) {
    const auto& v = e.variables[i];
    c.exec(
        "INSERT INTO evaluation_variables(evaluation_id, org_id, position, label, label_en, kind, field, "
        "expression, "
        "filter, unit, indicator_id, unit_label, unit_label_en, desired) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
        {e.id, s.org_id(), static_cast<std::int64_t>(i), v.label, v.label_en, v.kind, v.field, v.expression,
         v.filter, v.unit, v.indicator_id, v.unit_label, v.unit_label_en, v.desired});
  }
  c.exec("DELETE FROM evaluation_areas WHERE evaluation_id = $1", {e.id});
  for (const auto* arm : {&e.treatment, &e.control})
    for (const auto& a : *arm)
      c.exec("INSERT INTO evaluation_areas(evaluation_id, area_id, org_id, arm) VALUES ($1,$2,$3,$4)",
             {e.id, a.id, s.org_id(), std::string(arm == &e.treatment ? "treatment" : "control")});
  c.exec("DELETE FROM evaluation_criteria WHERE evaluation_id = $1", {e.id});
  for (const auto& k : e.criteria) {
    if (!k.rating && k.evidence.empty() && k.narrative.empty()) continue;
    std::optional<std::int64_t> rating;
    if (k.rating) rating = *k.rating;
    c.exec(
        "INSERT INTO evaluation_criteria(evaluation_id, criterion, org_id, rating, evidence, narrative) "
        "VALUES ($1,$2,$3,$4,$5,$6)",
        {e.id, k.criterion, s.org_id(), rating, strings_json(k.evidence), k.narrative});
  }
}

std::optional<std::int64_t> level_param(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.title = fields::text(body, "title", 300);
  if (in.title && in.title->empty()) throw invalid_field("title", "must not be empty");
  in.description = fields::text(body, "description", 20000);
  auto object_member = [&](std::string_view name) -> std::optional<bj::object> {
    auto it = body.find(name);
    if (it == body.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_object()) throw invalid_field(std::string(name), "must be an object");
    return it->value().get_object();
  };
  auto array_member = [&](std::string_view name) -> std::optional<bj::array> {
    auto it = body.find(name);
    if (it == body.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_array()) throw invalid_field(std::string(name), "must be an array");
    return it->value().get_array();
  };
  in.baseline = object_member("baseline");
  in.endline = object_member("endline");
  in.variables = array_member("variables");
  in.treatment_area_ids = fields::ids(body, "treatment_area_ids", 200);
  in.control_area_ids = fields::ids(body, "control_area_ids", 200);
  in.cluster_level = fields::bounded_int(body, "cluster_level", 1, 8, true);
  in.criteria = object_member("criteria");
  in.lessons = array_member("lessons");
  return in;
}

std::vector<Evaluation> list(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  programs::require_visible(c, s, program_id);
  std::vector<Evaluation> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kColumns + kFrom +
                   " WHERE e.org_id = $1 AND e.program_id = $2 AND e.deleted_at IS NULL ORDER BY e.id",
               {s.org_id(), program_id}))
    out.push_back(load_row(c, r));
  return out;
}

Evaluation get(db::Connection& c, const OrgScope& s, std::int64_t id) { return load(c, s, id); }

Evaluation create(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in) {
  s.require(Permission::edit_programs);
  programs::require_visible(c, s, program_id);
  if (!in.title) throw invalid_field("title", "is required");
  if (!in.baseline) throw invalid_field("baseline", "is required");
  if (!in.endline) throw invalid_field("endline", "is required");
  Evaluation e;
  e.program_id = program_id;
  for (const char* key : kCriteria) e.criteria.push_back({key, std::nullopt, {}, ""});
  apply(c, s, e, in);
  check_design(c, s, e);
  const auto now = now_millis();
  e.id = c.query_one(
              "INSERT INTO evaluations(org_id, program_id, title, description, cluster_level, lessons, "
              "created_by, "
              "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
              {s.org_id(), program_id, e.title, e.description, level_param(e.cluster_level),
               lessons_json(e.lessons), af::user_or_null(s), now})
             ->int_at(0);
  write_parts(c, s, e);
  Evaluation out = load(c, s, e.id);
  audit::record(c, s, {{}, "evaluation.create", "evaluation", std::to_string(e.id), {}, to_json(out)});
  return out;
}

Evaluation update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  const Input& in) {
  s.require(Permission::edit_programs);
  const Evaluation before = load(c, s, id);
  af::check_version(before.version, expected_version, "evaluation");
  Evaluation e = before;
  apply(c, s, e, in);
  check_design(c, s, e);
  c.exec(
      "UPDATE evaluations SET title = $1, description = $2, cluster_level = $3, lessons = $4, updated_at = "
      "$5, "
      "version = version + 1 WHERE id = $6",
      {e.title, e.description, level_param(e.cluster_level), lessons_json(e.lessons), now_millis(), id});
  write_parts(c, s, e);
  Evaluation after = load(c, s, id);
  audit::record(c, s,
                {{}, "evaluation.update", "evaluation", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  const Evaluation before = load(c, s, id);
  af::check_version(before.version, expected_version, "evaluation");
  c.exec("UPDATE evaluations SET deleted_at = $1, version = version + 1 WHERE id = $2", {now_millis(), id});
  audit::record(c, s, {{}, "evaluation.delete", "evaluation", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Evaluation& e) {
  auto round_json = [](const Round& r) {
    bj::array versions;
    for (auto v : r.version_ids) versions.push_back(bj::value(std::to_string(v)));
    return bj::object{{"form_id", std::to_string(r.form_id)},
                      {"form_title", r.form_title},
                      {"version_ids", std::move(versions)},
                      {"from", af::text_json(r.from)},
                      {"to", af::text_json(r.to)}};
  };
  bj::array variables;
  for (const auto& v : e.variables)
    variables.push_back(
        bj::object{{"id", std::to_string(v.id)},
                   {"label", v.label},
                   {"label_en", v.label_en.empty() ? v.label : v.label_en},
                   {"kind", v.kind},
                   {"field", v.field},
                   {"expression", v.expression},
                   {"filter", v.filter},
                   {"unit", v.unit},
                   {"indicator_id", af::id_json(v.indicator_id)},
                   {"unit_label", v.unit_label},
                   {"unit_label_en", v.unit_label_en.empty() ? v.unit_label : v.unit_label_en},
                   {"desired", v.desired}});
  auto areas_json = [](const std::vector<AreaRef>& arm) {
    bj::array a;
    for (const auto& x : arm)
      a.push_back(bj::object{{"id", std::to_string(x.id)},
                             {"level", x.level},
                             {"code", x.code},
                             {"name", x.name},
                             {"full_name", x.full_name}});
    return a;
  };
  bj::array criteria;
  for (const auto& k : e.criteria) {
    bj::array evidence;
    for (const auto& x : k.evidence) evidence.push_back(bj::value(x));
    criteria.push_back(
        bj::object{{"criterion", k.criterion},
                   {"name", criterion_name_id(k.criterion)},
                   {"name_en", criterion_name_en(k.criterion)},
                   {"rating", k.rating ? bj::value(*k.rating) : bj::value()},
                   {"rating_label", k.rating ? bj::value(rating_label_id(*k.rating)) : bj::value()},
                   {"rating_label_en", k.rating ? bj::value(rating_label_en(*k.rating)) : bj::value()},
                   {"evidence", std::move(evidence)},
                   {"narrative", k.narrative}});
  }
  bj::array lessons;
  for (const auto& l : e.lessons) lessons.push_back(bj::object{{"text", l.text}, {"category", l.category}});
  return bj::object{{"id", std::to_string(e.id)},
                    {"program_id", std::to_string(e.program_id)},
                    {"program_name", e.program_name},
                    {"title", e.title},
                    {"description", e.description},
                    {"baseline", round_json(e.baseline)},
                    {"endline", round_json(e.endline)},
                    {"variables", std::move(variables)},
                    {"treatment_areas", areas_json(e.treatment)},
                    {"control_areas", areas_json(e.control)},
                    {"cluster_level", e.cluster_level ? bj::value(*e.cluster_level) : bj::value()},
                    {"criteria", std::move(criteria)},
                    {"lessons", std::move(lessons)},
                    {"created_at", format_iso8601(e.created_at)},
                    {"updated_at", format_iso8601(e.updated_at)},
                    {"version", e.version}};
}

}  // namespace gotong::domain::evaluations
