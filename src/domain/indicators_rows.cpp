// Reading indicator rows and turning a computed indicator into the analytics definition.
#include "domain/indicators_rows.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/indicators_attendance.hpp"

namespace gotong::domain::indicators::detail {

namespace bj = boost::json;

Indicator from_row(const db::Row& r) {
  Indicator i;
  i.id = r.int_at(0);
  i.org_id = r.int_at(1);
  i.program_id = r.int_at(2);
  i.result_node_id = r.int_at(3);
  i.code = r.text_at(4);
  i.title = r.text_at(5);
  i.definition = r.text_at(6);
  i.measure = r.text_at(7);
  i.direction = r.text_at(8);
  i.unit_label = r.text_at(9);
  i.frequency = r.text_at(10);
  i.aggregation = r.text_at(11);
  i.margin_percent = r.double_at(12);
  i.source = r.text_at(13);
  if (!r.null_at(14)) {
    Computation k;
    k.form_id = r.int_at(14);
    k.calculation = r.text_at(15);
    k.unit = r.text_at(16);
    k.filter = r.text_at(17);
    k.denominator_filter = r.text_at(18);
    k.value_field = r.text_at(19);
    k.denominator_field = r.text_at(20);
    k.period_field = r.text_at(21);
    k.include_has_issues = r.int_at(22) != 0;
    i.computation = std::move(k);
  }
  i.dimensions = dimensions_from_text(r.text_at(23));
  i.means_of_verification = r.text_at(24);
  i.responsible_user_id = r.opt_int(25);
  i.computed_start = r.opt_text(26);
  i.computed_end = r.opt_text(27);
  i.computed_at = r.opt_int(28);
  i.created_at = r.int_at(29);
  i.updated_at = r.int_at(30);
  i.version = r.int_at(31);
  return i;
}

void load_details(db::Connection& c, Indicator& ind) {
  for (const auto& r :
       c.query("SELECT cell, value, narrative, baseline_date, note FROM indicator_baselines WHERE "
               "indicator_id = $1 ORDER BY cell",
               {ind.id})) {
    Baseline b;
    b.cell = json::parse(r.text_at(0)).as_object();
    if (!r.null_at(1)) b.value = r.double_at(1);
    b.narrative = r.text_at(2);
    b.date = r.text_at(3);
    b.note = r.text_at(4);
    ind.baselines.push_back(std::move(b));
  }
  // "LOP" sorts after the years, quarters and months: it is the last target shown.
  for (const auto& r : c.query(
           "SELECT period, value, narrative FROM indicator_targets WHERE indicator_id = $1 ORDER BY period",
           {ind.id})) {
    Target t;
    t.period = r.text_at(0);
    if (!r.null_at(1)) t.value = r.double_at(1);
    t.narrative = r.text_at(2);
    ind.targets.push_back(std::move(t));
  }
  if (ind.source == "attendance") load_attendance(c, ind);
}

std::string dimensions_text(const std::vector<Dimension>& dims) {
  bj::array a;
  for (const auto& d : dims) {
    bj::object o{{"name", d.name}, {"kind", d.kind}};
    if (!d.field.empty()) o["field"] = d.field;
    if (!d.bands.empty()) {
      bj::array bands;
      for (double b : d.bands) bands.emplace_back(b);
      o["bands"] = std::move(bands);
    }
    if (d.level) o["level"] = d.level;
    if (!d.values.empty()) {
      bj::array values;
      for (const auto& v : d.values) values.emplace_back(v);
      o["values"] = std::move(values);
    }
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

std::vector<Dimension> dimensions_from_text(std::string_view text) {
  std::vector<Dimension> out;
  const bj::value v = json::parse(text);
  for (const auto& item : v.as_array()) {
    const auto& o = item.as_object();
    Dimension d;
    d.name = std::string(o.at("name").as_string());
    d.kind = std::string(o.at("kind").as_string());
    if (auto it = o.find("field"); it != o.end()) d.field = std::string(it->value().as_string());
    if (auto it = o.find("bands"); it != o.end())
      for (const auto& b : it->value().as_array()) d.bands.push_back(b.to_number<double>());
    if (auto it = o.find("level"); it != o.end())
      d.level = static_cast<int>(it->value().to_number<std::int64_t>());
    if (auto it = o.find("values"); it != o.end())
      for (const auto& s : it->value().as_array()) d.values.emplace_back(s.as_string());
    out.push_back(std::move(d));
  }
  return out;
}

analytics::Spec spec_of(const Indicator& ind, const std::string& start, const std::string& end) {
  analytics::Spec s;
  const Computation& k = *ind.computation;
  s.calculation = *analytics::parse_calculation(k.calculation);
  s.unit = k.unit;
  s.filter = k.filter;
  s.denominator_filter = k.denominator_filter;
  s.value_field = k.value_field;
  s.denominator_field = k.denominator_field;
  s.period_field = k.period_field;
  s.frequency = *analytics::parse_frequency(ind.frequency);
  s.start = start;
  s.end = end;
  for (const auto& d : ind.dimensions) {
    analytics::Dimension ad;
    ad.name = d.name;
    ad.kind = d.kind == "age_band" ? analytics::Dimension::Kind::age_band
              : d.kind == "area"   ? analytics::Dimension::Kind::area
                                   : analytics::Dimension::Kind::field;
    ad.field = d.field;
    ad.bands = d.bands;
    ad.level = d.level;
    s.dimensions.push_back(std::move(ad));
  }
  return s;
}

bool counts_state(std::string_view state, bool include_has_issues) {
  return state == "received" || state == "approved" || (include_has_issues && state == "has_issues");
}

void lock_submissions(db::Connection& c) {
  if (c.engine() == db::Engine::postgresql) c.exec_script("LOCK TABLE submissions IN SHARE MODE");
}

std::string member(const std::string& at, const std::string& name) {
  return at.empty() ? name : at + "." + name;
}

std::string canonical_cell(const Indicator& ind, const bj::object& cell, const std::string& at) {
  bj::object ordered;
  for (const auto& d : ind.dimensions) {
    auto it = cell.find(d.name);
    if (it == cell.end()) continue;
    if (!it->value().is_string()) throw invalid_field(member(at, "cell." + d.name), "must be text");
    const std::string value(it->value().get_string());
    if (d.kind == "list" && std::find(d.values.begin(), d.values.end(), value) == d.values.end())
      throw invalid_field(member(at, "cell." + d.name), "is not one of the dimension's values");
    ordered[d.name] = value;
  }
  for (const auto& kv : cell)
    if (!ordered.contains(kv.key()))
      throw invalid_field(member(at, "cell." + std::string(kv.key())),
                          "is not a dimension of this indicator");
  return json::serialize(ordered);
}

void check_value(const Indicator& ind, const std::optional<double>& value, const std::string& narrative,
                 const std::string& at) {
  if (ind.measure == "qualitative") {
    if (value)
      throw invalid_field(member(at, "value"), "a qualitative indicator takes a narrative, not a number");
    if (narrative.empty())
      throw invalid_field(member(at, "narrative"), "is required for a qualitative indicator");
    return;
  }
  if (!value) throw invalid_field(member(at, "value"), "is required");
  if (ind.measure == "percentage" && (*value < 0 || *value > 100))
    throw invalid_field(member(at, "value"), "must be a percentage from 0 to 100");
}

bj::value number(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 9.0e15)
    return bj::value(static_cast<std::int64_t>(v));
  return bj::value(v);
}

bj::value number(const std::optional<double>& v) { return v ? number(*v) : bj::value(); }

}  // namespace gotong::domain::indicators::detail
