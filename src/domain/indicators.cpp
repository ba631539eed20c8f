// Indicator definitions: reading and checking bodies, create, update, delete, and their JSON.
#include "domain/indicators.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "analytics/periods.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/indicators_attendance.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::indicators {

namespace bj = boost::json;

namespace {

const char* const kMeasures[] = {"unit", "percentage", "nominal", "ordinal", "qualitative"};
const char* const kDirections[] = {"increase", "decrease", "maintain"};
const char* const kFrequencies[] = {"monthly", "quarterly", "yearly", "life_of_program"};
const char* const kAggregations[] = {"per_period", "cumulative"};
const char* const kSources[] = {"submissions", "manual", "attendance"};
const char* const kCalculations[] = {"count", "sum",        "mean",          "median",
                                     "ratio", "percentage", "distinct_count"};
const char* const kDimensionKinds[] = {"field", "age_band", "area", "list"};

constexpr std::size_t kMaxDimensions = 3;

template <std::size_t N>
std::optional<std::string> one_of(const bj::object& o, std::string_view name,
                                  const char* const (&allowed)[N]) {
  auto v = json::optional_string(o, name, 40);
  if (!v) return v;
  if (std::find_if(std::begin(allowed), std::end(allowed), [&](const char* a) { return *v == a; }) ==
      std::end(allowed)) {
    std::string list;
    for (std::size_t i = 0; i < N; ++i)
      list += (i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(allowed[i]);
    throw invalid_field(std::string(name), "must be " + list);
  }
  return v;
}

// A JSON number as a double; nullopt for null or absent when `nullable`.
std::optional<double> number_member(const bj::object& o, std::string_view name, const std::string& at,
                                    bool nullable) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) {
    if (nullable) return std::nullopt;
    throw invalid_field(at, "is required");
  }
  const bj::value& v = it->value();
  double d = 0;
  if (v.is_int64())
    d = static_cast<double>(v.get_int64());
  else if (v.is_uint64())
    d = static_cast<double>(v.get_uint64());
  else if (v.is_double())
    d = v.get_double();
  else
    throw invalid_field(at, "must be a number");
  if (!std::isfinite(d) || std::fabs(d) > 1e15) throw invalid_field(at, "must be a finite number");
  return d;
}

const bj::array& array_member(const bj::value& v, const std::string& at, std::size_t max) {
  if (!v.is_array()) throw invalid_field(at, "must be an array");
  if (v.get_array().size() > max)
    throw invalid_field(at, "must have at most " + std::to_string(max) + " items");
  return v.get_array();
}

const bj::object& object_item(const bj::value& v, const std::string& at) {
  if (!v.is_object()) throw invalid_field(at, "must be an object");
  return v.get_object();
}

std::string plain(const bj::object& o, std::string_view name, std::size_t max) {
  return fields::text(o, name, max).value_or("");
}

Computation parse_computation(const bj::object& o) {
  Computation c;
  auto form = json::optional_id(o, "form_id");
  if (!form) throw invalid_field("computation.form_id", "is required");
  c.form_id = *form;
  auto calc = json::optional_string(o, "calculation", 40);
  if (!calc) throw invalid_field("computation.calculation", "is required");
  if (!analytics::parse_calculation(*calc))
    throw invalid_field("computation.calculation",
                        "must be count, sum, mean, median, ratio, percentage or distinct_count");
  c.calculation = *calc;
  auto unit = plain(o, "unit", 200);
  c.unit = unit == "submission" ? "" : unit;
  auto text = [&](const char* name, std::size_t max) {
    try {
      return plain(o, name, max);
    } catch (const Error& e) {
      throw invalid_field(std::string("computation.") + name,
                          e.details().empty() ? e.what() : e.details()[0].message);
    }
  };
  c.filter = text("filter", 4000);
  c.denominator_filter = text("denominator_filter", 4000);
  c.value_field = text("value_field", 200);
  c.denominator_field = text("denominator_field", 200);
  c.period_field = text("period_field", 200);
  c.include_has_issues = json::optional_bool(o, "include_has_issues").value_or(false);
  return c;
}

std::vector<Dimension> parse_dimensions(const bj::value& v) {
  const auto& a = array_member(v, "dimensions", kMaxDimensions);
  std::vector<Dimension> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "dimensions[" + std::to_string(i) + "]";
    const auto& o = object_item(a[i], at);
    Dimension d;
    auto name = fields::text(o, "name", 40);
    if (!name || name->empty()) throw invalid_field(at + ".name", "is required");
    if (!names.insert(*name).second) throw invalid_field(at + ".name", "is used by another dimension");
    d.name = *name;
    auto kind = json::optional_string(o, "kind", 20);
    if (!kind || std::find_if(std::begin(kDimensionKinds), std::end(kDimensionKinds),
                              [&](const char* k) { return *kind == k; }) == std::end(kDimensionKinds))
      throw invalid_field(at + ".kind", "must be field, age_band, area or list");
    d.kind = *kind;
    if (d.kind == "field" || d.kind == "age_band") {
      auto field = fields::text(o, "field", 200);
      if (!field || field->empty()) throw invalid_field(at + ".field", "is required");
      d.field = *field;
    }
    if (d.kind == "age_band") {
      auto it = o.find("bands");
      if (it == o.end())
        throw invalid_field(at + ".bands", "is required: the ages where bands start, e.g. [5, 18, 60]");
      const auto& bands = array_member(it->value(), at + ".bands", 12);
      if (bands.empty()) throw invalid_field(at + ".bands", "must name at least one age");
      for (std::size_t k = 0; k < bands.size(); ++k) {
        if (!bands[k].is_int64() || bands[k].get_int64() < 1 || bands[k].get_int64() > 150)
          throw invalid_field(at + ".bands[" + std::to_string(k) + "]", "must be a whole age from 1 to 150");
        const double b = static_cast<double>(bands[k].get_int64());
        if (!d.bands.empty() && b <= d.bands.back())
          throw invalid_field(at + ".bands", "must be in ascending order without repeats");
        d.bands.push_back(b);
      }
    }
    if (d.kind == "area") {
      auto level = fields::bounded_int(o, "level", 1, 10, false);
      if (!level) throw invalid_field(at + ".level", "is required: 4 for villages, 5 for dusun");
      d.level = static_cast<int>(**level);
    }
    if (d.kind == "list") {
      auto it = o.find("values");
      if (it == o.end()) throw invalid_field(at + ".values", "is required: the categories");
      const auto& values = array_member(it->value(), at + ".values", 50);
      if (values.empty()) throw invalid_field(at + ".values", "must name at least one category");
      std::set<std::string> seen;
      for (std::size_t k = 0; k < values.size(); ++k) {
        const std::string vat = at + ".values[" + std::to_string(k) + "]";
        if (!values[k].is_string() || values[k].get_string().empty() || values[k].get_string().size() > 100)
          throw invalid_field(vat, "must be a category name of 1 to 100 bytes");
        std::string v(values[k].get_string());
        if (!seen.insert(v).second) throw invalid_field(vat, "is listed twice");
        d.values.push_back(std::move(v));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

bj::object parse_cell(const bj::object& o, const std::string& at) {
  auto it = o.find("cell");
  if (it == o.end() || it->value().is_null()) return {};
  const auto& cell = object_item(it->value(), at + ".cell");
  for (const auto& kv : cell)
    if (!kv.value().is_string() || kv.value().get_string().size() > 200)
      throw invalid_field(at + ".cell." + std::string(kv.key()), "must be text");
  return cell;
}

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.result_node_id = json::optional_id(body, "result_node_id");
  in.code = fields::text(body, "code", 40);
  in.title = fields::text(body, "title", 300);
  if (in.title && in.title->empty()) throw invalid_field("title", "must not be empty");
  in.definition = fields::text(body, "definition", 20000);
  in.measure = one_of(body, "measure", kMeasures);
  in.direction = one_of(body, "direction", kDirections);
  in.unit_label = fields::text(body, "unit_label", 100);
  in.frequency = one_of(body, "frequency", kFrequencies);
  in.aggregation = one_of(body, "aggregation", kAggregations);
  in.source = one_of(body, "source", kSources);
  if (body.contains("margin_percent")) {
    in.margin_percent = number_member(body, "margin_percent", "margin_percent", false);
    if (*in.margin_percent < 0 || *in.margin_percent > 100)
      throw invalid_field("margin_percent", "must be from 0 to 100");
  }
  if (auto it = body.find("computation"); it != body.end() && !it->value().is_null())
    in.computation = parse_computation(object_item(it->value(), "computation"));
  if (auto it = body.find("attendance"); it != body.end() && !it->value().is_null())
    in.attendance = parse_attendance(it->value());
  if (auto it = body.find("dimensions"); it != body.end() && !it->value().is_null())
    in.dimensions = parse_dimensions(it->value());
  in.means_of_verification = fields::text(body, "means_of_verification", 5000);
  in.responsible_user_id = fields::nullable_id(body, "responsible_user_id");
  if (auto it = body.find("baselines"); it != body.end() && !it->value().is_null()) {
    const auto& a = array_member(it->value(), "baselines", 200);
    std::vector<Baseline> out;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "baselines[" + std::to_string(i) + "]";
      const auto& o = object_item(a[i], at);
      Baseline b;
      b.cell = parse_cell(o, at);
      b.value = number_member(o, "value", at + ".value", true);
      b.narrative = plain(o, "narrative", 2000);
      auto date = json::optional_string(o, "date", 20);
      if (!date) throw invalid_field(at + ".date", "is required (the date the baseline was measured)");
      if (!programs::valid_date(*date)) throw invalid_field(at + ".date", "must be a date YYYY-MM-DD");
      b.date = *date;
      b.note = plain(o, "note", 2000);
      out.push_back(std::move(b));
    }
    in.baselines = std::move(out);
  }
  if (auto it = body.find("targets"); it != body.end() && !it->value().is_null()) {
    const auto& a = array_member(it->value(), "targets", 500);
    std::vector<Target> out;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "targets[" + std::to_string(i) + "]";
      const auto& o = object_item(a[i], at);
      Target t;
      auto period = json::optional_string(o, "period", 20);
      if (!period) throw invalid_field(at + ".period", "is required");
      t.period = *period;
      t.value = number_member(o, "value", at + ".value", true);
      t.narrative = plain(o, "narrative", 2000);
      out.push_back(std::move(t));
    }
    in.targets = std::move(out);
  }
  return in;
}

namespace {

std::optional<Indicator> load(db::Connection& c, std::int64_t org_id, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + detail::kColumns +
                             " FROM indicators i WHERE i.id = $1 AND i.org_id = $2 AND i.deleted_at IS NULL",
                         {id, org_id});
  if (!row) return std::nullopt;
  Indicator ind = detail::from_row(*row);
  detail::load_details(c, ind);
  return ind;
}

// The period text a frequency's keys look like, for messages.
std::string period_example(std::string_view frequency) {
  if (frequency == "monthly") return "a month such as 2026-03";
  if (frequency == "quarterly") return "a quarter such as 2026-Q1";
  if (frequency == "yearly") return "a year such as 2026";
  return "LOP";
}

// The latest published version of the form, compiled; Error(validation) for a form of another
// organisation or one never published.
std::shared_ptr<const submissions::CompiledVersion> published_version(db::Connection& c, const OrgScope& s,
                                                                      std::int64_t form_id) {
  if (!c.query_int("SELECT id FROM forms WHERE id = $1 AND org_id = $2", {form_id, s.org_id()}))
    throw invalid_field("computation.form_id", "is not a form of this organisation");
  auto version = c.query_int(
      "SELECT id FROM form_versions WHERE form_id = $1 AND status = 'published' ORDER BY id DESC LIMIT 1",
      {form_id});
  if (!version) throw invalid_field("computation.form_id", "has no published version yet");
  return submissions::compiled_version(c, *version);
}

void validate(db::Connection& c, const OrgScope& s, const programs::Program& p, const Indicator& ind) {
  auto node_program = c.query_int("SELECT program_id FROM result_nodes WHERE id = $1 AND org_id = $2",
                                  {ind.result_node_id, s.org_id()});
  if (!node_program || *node_program != p.id)
    throw invalid_field("result_node_id", "is not a node of this program's results framework");
  if (!ind.code.empty() &&
      c.query_int(
          "SELECT id FROM indicators WHERE program_id = $1 AND code = $2 AND deleted_at IS NULL AND id <> $3",
          {p.id, ind.code, ind.id}))
    throw Error(ErrorCode::conflict, "another indicator of this program has the code " + ind.code,
                {{"code", "is used by another indicator of this program"}});
  if (ind.responsible_user_id && !c.query_int("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2",
                                              {s.org_id(), *ind.responsible_user_id}))
    throw invalid_field("responsible_user_id", "is not a member of this organisation");

  if (ind.source == "attendance") detail::validate_attendance(c, s, p, ind);
  if (ind.source != "attendance" && ind.attendance)
    throw invalid_field("attendance", "is only for indicators computed from attendance");
  const bool computed = ind.source == "submissions";
  if (computed) {
    if (!ind.computation)
      throw invalid_field("computation", "is required for an indicator computed from submissions");
    const std::string& calc = ind.computation->calculation;
    if (calc == "percentage" && ind.measure != "percentage")
      throw invalid_field("measure", "must be percentage for a percentage calculation");
    if (calc == "ratio" && ind.measure != "unit" && ind.measure != "percentage")
      throw invalid_field("measure", "must be unit or percentage for a ratio");
    if (calc != "percentage" && calc != "ratio" && ind.measure != "unit")
      throw invalid_field("measure", "must be unit for a " + calc);
  } else {
    if (ind.computation)
      throw invalid_field("computation", "is only for indicators computed from submissions");
    if (ind.aggregation == "cumulative" && ind.measure != "unit")
      throw invalid_field("aggregation",
                          "values entered by hand add up over periods only for the unit measure");
  }
  for (std::size_t i = 0; i < ind.dimensions.size(); ++i) {
    const bool list = ind.dimensions[i].kind == "list";
    if (computed && list)
      throw invalid_field("dimensions[" + std::to_string(i) + "].kind",
                          "a computed indicator reads its dimensions from the form: field, age_band or area");
    if (ind.source == "manual" && !list)
      throw invalid_field("dimensions[" + std::to_string(i) + "].kind",
                          "values entered by hand are disaggregated by lists of categories (kind list)");
  }
  if (computed) {
    auto cv = published_version(c, s, ind.computation->form_id);
    try {
      analytics::Plan plan(cv->schema, cv->layout, detail::spec_of(ind, p.start_date, p.end_date), true);
    } catch (const analytics::PlanError& e) {
      throw invalid_field(e.field.rfind("dimensions", 0) == 0 ? e.field : "computation." + e.field, e.what());
    }
  }
  const auto frequency = *analytics::parse_frequency(ind.frequency);
  std::set<std::string> periods;
  for (std::size_t i = 0; i < ind.targets.size(); ++i) {
    const std::string at = "targets[" + std::to_string(i) + "]";
    const Target& t = ind.targets[i];
    if (t.period != analytics::kLifeOfProgram) {
      if (!analytics::valid_period(t.period, frequency))
        throw invalid_field(at + ".period", "must be " + period_example(ind.frequency) +
                                                " (the indicator is " + ind.frequency +
                                                "), or LOP for the life of the program");
      auto [first, last] = *analytics::period_bounds(t.period);
      if (last < p.start_date || first > p.end_date)
        throw invalid_field(at + ".period",
                            "is outside the program (" + p.start_date + " to " + p.end_date + ")");
    }
    if (!periods.insert(t.period).second) throw invalid_field(at + ".period", "has a target already");
    detail::check_value(ind, t.value, t.narrative, at);
  }
  std::set<std::string> cells;
  for (std::size_t i = 0; i < ind.baselines.size(); ++i) {
    const std::string at = "baselines[" + std::to_string(i) + "]";
    const Baseline& b = ind.baselines[i];
    if (!cells.insert(detail::canonical_cell(ind, b.cell, at)).second)
      throw invalid_field(at + ".cell", "has a baseline already");
    detail::check_value(ind, b.value, b.narrative, at);
  }
}

db::Value opt_user(const OrgScope& s) {
  return s.actor().user_id ? db::Value(s.actor().user_id) : db::Value();
}

void write_details(db::Connection& c, const OrgScope& s, const Indicator& ind, bool baselines, bool targets) {
  if (baselines) {
    c.exec("DELETE FROM indicator_baselines WHERE indicator_id = $1", {ind.id});
    for (std::size_t i = 0; i < ind.baselines.size(); ++i) {
      const Baseline& b = ind.baselines[i];
      c.exec(
          "INSERT INTO indicator_baselines(indicator_id, org_id, cell, value, narrative, baseline_date, "
          "note) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7)",
          {ind.id, s.org_id(), detail::canonical_cell(ind, b.cell, "baselines[" + std::to_string(i) + "]"),
           b.value, b.narrative, b.date, b.note});
    }
  }
  if (targets) {
    c.exec("DELETE FROM indicator_targets WHERE indicator_id = $1", {ind.id});
    for (const auto& t : ind.targets)
      c.exec(
          "INSERT INTO indicator_targets(indicator_id, org_id, period, value, narrative) VALUES "
          "($1,$2,$3,$4,$5)",
          {ind.id, s.org_id(), t.period, t.value, t.narrative});
  }
}

db::Params computation_params(const Indicator& ind) {
  const Computation* k = ind.computation ? &*ind.computation : nullptr;
  return {k ? db::Value(k->form_id) : db::Value(),
          k ? db::Value(k->calculation) : db::Value(),
          k ? k->unit : std::string(),
          k ? k->filter : std::string(),
          k ? k->denominator_filter : std::string(),
          k ? k->value_field : std::string(),
          k ? k->denominator_field : std::string(),
          k ? k->period_field : std::string(),
          k && k->include_has_issues};
}

bool same_computation(const Indicator& a, const Indicator& b) {
  auto key = [](const Indicator& i) {
    std::vector<std::string> k{i.frequency, detail::dimensions_text(i.dimensions)};
    if (i.computation) {
      const auto& c = *i.computation;
      k.insert(k.end(),
               {std::to_string(c.form_id), c.calculation, c.unit, c.filter, c.denominator_filter,
                c.value_field, c.denominator_field, c.period_field, c.include_has_issues ? "1" : "0"});
    }
    return k;
  };
  return key(a) == key(b);
}

}  // namespace

Indicator get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  auto ind = load(c, s.org_id(), id);
  if (!ind) throw Error(ErrorCode::not_found, "no indicator " + std::to_string(id));
  programs::require_visible(c, s, ind->program_id);  // partners: only programs shared with them
  return *ind;
}

std::vector<Indicator> list(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  programs::require_visible(c, s, program_id);
  std::vector<Indicator> out;
  for (const auto& r : c.query(std::string("SELECT ") + detail::kColumns +
                                   " FROM indicators i JOIN result_nodes n ON n.id = i.result_node_id "
                                   "WHERE i.program_id = $1 AND i.org_id = $2 AND i.deleted_at IS NULL "
                                   "ORDER BY n.tier, i.code, i.title, i.id",
                               {program_id, s.org_id()})) {
    out.push_back(detail::from_row(r));
    detail::load_details(c, out.back());
  }
  return out;
}

Indicator create(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in) {
  s.require(Permission::edit_programs);
  if (in.source && *in.source == "submissions") detail::lock_submissions(c);
  const programs::Program p = programs::require_visible(c, s, program_id);
  if (!in.result_node_id) throw invalid_field("result_node_id", "is required");
  if (!in.title) throw invalid_field("title", "is required");
  if (!in.measure) throw invalid_field("measure", "is required");
  if (!in.direction) throw invalid_field("direction", "is required");
  if (!in.frequency) throw invalid_field("frequency", "is required");
  if (!in.source) throw invalid_field("source", "is required");
  Indicator ind;
  ind.org_id = s.org_id();
  ind.program_id = program_id;
  ind.result_node_id = *in.result_node_id;
  ind.code = in.code.value_or("");
  ind.title = *in.title;
  ind.definition = in.definition.value_or("");
  ind.measure = *in.measure;
  ind.direction = *in.direction;
  ind.unit_label = in.unit_label.value_or("");
  ind.frequency = *in.frequency;
  ind.aggregation = in.aggregation.value_or("per_period");
  ind.margin_percent = in.margin_percent.value_or(10);
  ind.source = *in.source;
  ind.computation = in.computation;
  ind.attendance = in.attendance;
  ind.dimensions = in.dimensions.value_or(std::vector<Dimension>{});
  ind.means_of_verification = in.means_of_verification.value_or("");
  ind.responsible_user_id = in.responsible_user_id.value_or(std::nullopt);
  ind.baselines = in.baselines.value_or(std::vector<Baseline>{});
  ind.targets = in.targets.value_or(std::vector<Target>{});
  validate(c, s, p, ind);
  const auto now = now_millis();
  db::Params params{s.org_id(),      program_id,         ind.result_node_id, ind.code,       ind.title,
                    ind.definition,  ind.measure,        ind.direction,      ind.unit_label, ind.frequency,
                    ind.aggregation, ind.margin_percent, ind.source};
  for (auto& v : computation_params(ind)) params.push_back(std::move(v));
  params.insert(params.end(), {db::Value(detail::dimensions_text(ind.dimensions)), ind.means_of_verification,
                               ind.responsible_user_id, opt_user(s), now});
  ind.id = *c.query_int(
      "INSERT INTO indicators(org_id, program_id, result_node_id, code, title, definition, measure, "
      "direction, "
      "unit_label, frequency, aggregation, margin_percent, source, form_id, calculation, unit_repeat, "
      "filter_expression, denominator_filter, value_field, denominator_field, period_field, "
      "include_has_issues, "
      "dimensions, means_of_verification, responsible_user_id, created_by, created_at, updated_at) VALUES "
      "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$"
      "27) "
      "RETURNING id",
      params);
  write_details(c, s, ind, true, true);
  if (ind.computation) detail::compute(c, ind, p.start_date, p.end_date, false);
  if (ind.attendance) {
    detail::save_attendance(c, ind);
    detail::compute_attendance(c, ind, p.start_date, p.end_date, false);
  }
  Indicator out = get(c, s, ind.id);
  audit::record(c, s, {{}, "indicator.create", "indicator", std::to_string(ind.id), {}, to_json(c, out)});
  return out;
}

Indicator update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                 const Input& in) {
  s.require(Permission::edit_programs);
  detail::lock_submissions(c);  // a change of the computation recomputes (see the header)
  const Indicator before = get(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the indicator was changed by someone else; reload it");
  if (in.source && *in.source != before.source)
    throw invalid_field("source", "cannot change (" + before.source + "); create another indicator instead");
  const programs::Program p = programs::require_visible(c, s, before.program_id);
  Indicator ind = before;
  if (in.result_node_id) ind.result_node_id = *in.result_node_id;
  if (in.code) ind.code = *in.code;
  if (in.title) ind.title = *in.title;
  if (in.definition) ind.definition = *in.definition;
  if (in.measure) ind.measure = *in.measure;
  if (in.direction) ind.direction = *in.direction;
  if (in.unit_label) ind.unit_label = *in.unit_label;
  if (in.frequency) ind.frequency = *in.frequency;
  if (in.aggregation) ind.aggregation = *in.aggregation;
  if (in.margin_percent) ind.margin_percent = *in.margin_percent;
  if (in.computation) ind.computation = in.computation;
  if (in.attendance) ind.attendance = in.attendance;
  if (in.dimensions) ind.dimensions = *in.dimensions;
  if (in.means_of_verification) ind.means_of_verification = *in.means_of_verification;
  if (in.responsible_user_id) ind.responsible_user_id = *in.responsible_user_id;
  if (in.baselines) ind.baselines = *in.baselines;
  if (in.targets) ind.targets = *in.targets;
  validate(c, s, p, ind);
  db::Params params{ind.result_node_id, ind.code,       ind.title,     ind.definition,  ind.measure,
                    ind.direction,      ind.unit_label, ind.frequency, ind.aggregation, ind.margin_percent};
  for (auto& v : computation_params(ind)) params.push_back(std::move(v));
  params.insert(params.end(), {db::Value(detail::dimensions_text(ind.dimensions)), ind.means_of_verification,
                               ind.responsible_user_id, now_millis(), id});
  c.exec(
      "UPDATE indicators SET result_node_id = $1, code = $2, title = $3, definition = $4, measure = $5, "
      "direction = $6, unit_label = $7, frequency = $8, aggregation = $9, margin_percent = $10, form_id = "
      "$11, "
      "calculation = $12, unit_repeat = $13, filter_expression = $14, denominator_filter = $15, "
      "value_field = $16, denominator_field = $17, period_field = $18, include_has_issues = $19, "
      "dimensions = $20, means_of_verification = $21, responsible_user_id = $22, updated_at = $23, "
      "version = version + 1 WHERE id = $24",
      params);
  write_details(c, s, ind, in.baselines.has_value(), in.targets.has_value());
  // A new computation, or a program whose period moved since the last one: compute afresh.
  if (ind.computation && (!same_computation(before, ind) || before.computed_start != p.start_date ||
                          before.computed_end != p.end_date))
    detail::compute(c, ind, p.start_date, p.end_date, false);
  if (ind.attendance && in.attendance) detail::save_attendance(c, ind);
  if (ind.attendance && (!same_computation(before, ind) || before.attendance != ind.attendance ||
                         before.computed_start != p.start_date || before.computed_end != p.end_date))
    detail::compute_attendance(c, ind, p.start_date, p.end_date, false);
  Indicator after = get(c, s, id);
  audit::record(
      c, s, {{}, "indicator.update", "indicator", std::to_string(id), to_json(c, before), to_json(c, after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  detail::lock_submissions(c);  // no hook of a concurrent submission change adds rows after the drop
  const Indicator before = get(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the indicator was changed by someone else; reload it");
  c.exec("UPDATE indicators SET deleted_at = $1, version = version + 1 WHERE id = $2", {now_millis(), id});
  // The aggregates are derived data: a deleted indicator keeps its definition, targets and
  // entries for the audit trail, not its running sums.
  detail::drop_values(c, id);
  audit::record(c, s, {{}, "indicator.delete", "indicator", std::to_string(id), to_json(c, before), {}});
}

bj::object to_json(db::Connection& c, const Indicator& ind) {
  auto level = c.query_one(
      "SELECT n.tier, p.tiers, p.start_date, p.end_date FROM result_nodes n JOIN programs p ON p.id = "
      "n.program_id "
      "WHERE n.id = $1",
      {ind.result_node_id});
  std::string level_name;
  bool stale = false;
  if (level) {
    const bj::value tiers = json::parse(level->text_at(1));
    const auto tier = static_cast<std::size_t>(level->int_at(0));
    if (tier < tiers.as_array().size()) level_name = std::string(tiers.as_array()[tier].as_string());
    stale = (ind.computation || ind.attendance) &&
            (ind.computed_start != level->text_at(2) || ind.computed_end != level->text_at(3));
  }
  bj::value computation;
  if (ind.computation) {
    const auto& k = *ind.computation;
    auto text_or_null = [](const std::string& t) { return t.empty() ? bj::value() : bj::value(t); };
    computation = bj::object{{"form_id", std::to_string(k.form_id)},
                             {"calculation", k.calculation},
                             {"unit", k.unit.empty() ? std::string("submission") : k.unit},
                             {"filter", k.filter},
                             {"denominator_filter", k.denominator_filter},
                             {"value_field", text_or_null(k.value_field)},
                             {"denominator_field", text_or_null(k.denominator_field)},
                             {"period_field", text_or_null(k.period_field)},
                             {"include_has_issues", k.include_has_issues}};
  }
  bj::array dims;
  for (const auto& d : ind.dimensions) {
    bj::object o{{"name", d.name}, {"kind", d.kind}};
    if (d.kind == "field" || d.kind == "age_band") o["field"] = d.field;
    if (d.kind == "age_band") {
      bj::array bands, labels;
      for (double b : d.bands) bands.push_back(detail::number(b));
      for (const auto& l : analytics::band_labels(d.bands)) labels.emplace_back(l);
      o["bands"] = std::move(bands);
      o["labels"] = std::move(labels);
    }
    if (d.kind == "area") o["level"] = d.level;
    if (d.kind == "list") {
      bj::array values;
      for (const auto& v : d.values) values.emplace_back(v);
      o["values"] = std::move(values);
    }
    dims.push_back(std::move(o));
  }
  bj::array baselines, targets;
  for (const auto& b : ind.baselines)
    baselines.push_back(bj::object{{"cell", b.cell},
                                   {"value", detail::number(b.value)},
                                   {"narrative", b.narrative},
                                   {"date", b.date},
                                   {"note", b.note}});
  for (const auto& t : ind.targets)
    targets.push_back(
        bj::object{{"period", t.period}, {"value", detail::number(t.value)}, {"narrative", t.narrative}});
  return bj::object{
      {"id", std::to_string(ind.id)},
      {"program_id", std::to_string(ind.program_id)},
      {"result_node_id", std::to_string(ind.result_node_id)},
      {"level", level_name},
      {"code", ind.code},
      {"title", ind.title},
      {"definition", ind.definition},
      {"measure", ind.measure},
      {"direction", ind.direction},
      {"unit_label", ind.unit_label},
      {"frequency", ind.frequency},
      {"aggregation", ind.aggregation},
      {"margin_percent", detail::number(ind.margin_percent)},
      {"source", ind.source},
      {"computation", std::move(computation)},
      {"attendance", ind.attendance ? bj::value(to_json(*ind.attendance)) : bj::value()},
      {"dimensions", std::move(dims)},
      {"baselines", std::move(baselines)},
      {"targets", std::move(targets)},
      {"means_of_verification", ind.means_of_verification},
      {"responsible_user_id",
       ind.responsible_user_id ? bj::value(std::to_string(*ind.responsible_user_id)) : bj::value()},
      {"computed_at", ind.computed_at ? bj::value(format_iso8601(*ind.computed_at)) : bj::value()},
      {"needs_recompute", stale},
      {"created_at", format_iso8601(ind.created_at)},
      {"updated_at", format_iso8601(ind.updated_at)},
      {"version", ind.version}};
}

}  // namespace gotong::domain::indicators
