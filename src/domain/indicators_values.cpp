// An indicator's values per reporting period with targets and status, and a program's dashboard.
#include <boost/json.hpp>
#include <map>

#include "analytics/periods.hpp"
#include "analytics/series.hpp"
#include "analytics/status.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::indicators {

namespace bj = boost::json;

namespace {

using detail::number;

std::optional<double> rounded(std::optional<double> v) {
  return v ? std::optional(analytics::round4(*v)) : std::nullopt;
}

const Target* target_for(const Indicator& ind, std::string_view period) {
  for (const auto& t : ind.targets)
    if (t.period == period) return &t;
  return nullptr;
}

bj::value status_json(const Indicator& ind, std::optional<double> value, const Target* target) {
  if (!target || !target->value || ind.measure == "qualitative") return nullptr;
  auto st = analytics::status_of(value, target->value, *analytics::parse_direction(ind.direction),
                                 ind.margin_percent / 100.0);
  return st ? bj::value(analytics::status_name(*st)) : bj::value();
}

const Baseline* total_baseline(const Indicator& ind) {
  for (const auto& b : ind.baselines)
    if (b.cell.empty()) return &b;
  return nullptr;
}

bool stale(const Indicator& ind, const programs::Program& p) {
  return (ind.computation || ind.attendance) &&
         (ind.computed_start != p.start_date || ind.computed_end != p.end_date);
}

// One period (or the life of the program) as the values and the dashboard show it.
struct Point {
  std::string period;
  std::optional<double> value;
  std::string narrative;  // qualitative values entered by hand
  bool has_data = false;
  std::optional<std::int64_t> units, count;  // computed indicators: units in scope, units counted
  bj::array cells;
  bj::object by_dimension;
};

struct Values {
  std::vector<Point> periods;
  Point life;  // the whole program
};

bj::object cell_object(const Indicator& ind, const std::vector<std::string>& cell) {
  bj::object o;
  for (std::size_t i = 0; i < ind.dimensions.size() && i < cell.size(); ++i)
    o[ind.dimensions[i].name] = cell[i];
  return o;
}

Values computed_values(db::Connection& c, const Indicator& ind, const std::vector<std::string>& periods,
                       bool detail_wanted) {
  // Attendance indicators keep counts in the same aggregates.
  const auto calc = ind.computation ? *analytics::parse_calculation(ind.computation->calculation)
                                    : analytics::Calculation::count;
  const bool percent = calc == analytics::Calculation::ratio && ind.measure == "percentage";
  const analytics::Aggregation st = detail::stored(c, ind.id, analytics::keeps_items(calc));
  analytics::SeriesSpec spec{calc, percent, ind.aggregation == "cumulative", ind.dimensions.size(),
                             detail_wanted};
  Values out;
  for (const auto& pv : analytics::series(spec, periods, st)) {
    Point p;
    p.period = pv.period;
    p.value = rounded(pv.value);
    p.has_data = pv.has_data;
    p.units = pv.totals.n_b;
    p.count = pv.totals.n;
    for (const auto& cv : pv.cells)
      p.cells.push_back(bj::object{{"cell", cell_object(ind, cv.cell)},
                                   {"value", number(rounded(cv.value))},
                                   {"units", cv.totals.n_b},
                                   {"count", cv.totals.n}});
    for (std::size_t d = 0; d < pv.dimensions.size(); ++d) {
      bj::array values;
      for (const auto& dv : pv.dimensions[d])
        values.push_back(bj::object{{"key", dv.key},
                                    {"value", number(rounded(dv.value))},
                                    {"units", dv.totals.n_b},
                                    {"count", dv.totals.n}});
      p.by_dimension[ind.dimensions[d].name] = std::move(values);
    }
    out.periods.push_back(std::move(p));
  }
  const analytics::Accumulator all = analytics::overall(periods, st);
  out.life.period = std::string(analytics::kLifeOfProgram);
  out.life.value = rounded(analytics::value_of(calc, all, percent));
  out.life.has_data = all.n_b > 0;
  out.life.units = all.n_b;
  out.life.count = all.n;
  return out;
}

Values manual_values(db::Connection& c, const Indicator& ind, const std::vector<std::string>& periods,
                     bool detail_wanted) {
  struct Approved {
    std::optional<double> total;
    std::string narrative;
    bool has_total = false;
    std::vector<std::pair<bj::object, std::optional<double>>> cells;
  };
  std::map<std::string, Approved> by_period;
  for (const auto& r :
       c.query("SELECT period, cell, value, narrative FROM indicator_entries WHERE indicator_id = $1 "
               "AND state = 'approved' AND deleted_at IS NULL ORDER BY period, cell",
               {ind.id})) {
    Approved& a = by_period[r.text_at(0)];
    std::optional<double> value = r.null_at(2) ? std::nullopt : std::optional(r.double_at(2));
    bj::object cell = json::parse(r.text_at(1)).as_object();
    if (cell.empty()) {
      a.total = value;
      a.narrative = r.text_at(3);
      a.has_total = true;
    } else {
      a.cells.emplace_back(std::move(cell), value);
    }
  }
  const bool cumulative = ind.aggregation == "cumulative";
  const bool additive = ind.measure == "unit";
  Values out;
  out.periods.reserve(periods.size());  // `latest` points into it
  double running = 0;
  bool any = false;
  const Point* latest = nullptr;
  for (const auto& period : periods) {
    Point p;
    p.period = period;
    auto it = by_period.find(period);
    if (it != by_period.end()) {
      const Approved& a = it->second;
      p.has_data = a.has_total;
      p.narrative = a.narrative;
      if (a.total) {
        running += *a.total;
        any = true;
      }
      p.value = a.total;
      if (detail_wanted)
        for (const auto& [cell, value] : a.cells)
          p.cells.push_back(
              bj::object{{"cell", cell}, {"value", number(value)}, {"units", nullptr}, {"count", nullptr}});
    }
    // Added up over the periods so far: the unit measure only (see validate()).
    if (cumulative) p.value = any ? std::optional(running) : std::nullopt;
    p.value = rounded(p.value);
    out.periods.push_back(std::move(p));
    if (out.periods.back().has_data) latest = &out.periods.back();
  }
  out.life.period = std::string(analytics::kLifeOfProgram);
  if (additive) {
    out.life.value = any ? std::optional(analytics::round4(running)) : std::nullopt;
  } else if (latest) {
    out.life.value = latest->value;
    out.life.narrative = latest->narrative;
  }
  out.life.has_data = any || latest != nullptr;
  return out;
}

Values values_of(db::Connection& c, const Indicator& ind, const programs::Program& p, bool detail_wanted,
                 std::vector<std::string>& periods) {
  periods = analytics::periods_between(p.start_date, p.end_date, *analytics::parse_frequency(ind.frequency));
  return ind.computation || ind.attendance ? computed_values(c, ind, periods, detail_wanted)
                                           : manual_values(c, ind, periods, detail_wanted);
}

bj::object point_json(const Indicator& ind, const Point& pt, bool full) {
  const Target* t = target_for(ind, pt.period);
  bj::object o{{"period", pt.period},
               {"value", number(pt.value)},
               {"target", t ? number(t->value) : bj::value()},
               {"status", status_json(ind, pt.value, t)}};
  if (ind.measure == "qualitative") {
    o["narrative"] = pt.narrative;
    o["target_narrative"] = t ? t->narrative : std::string();
  }
  if (!full) return o;
  o["has_data"] = pt.has_data;
  o["units"] = pt.units ? bj::value(*pt.units) : bj::value();
  o["count"] = pt.count ? bj::value(*pt.count) : bj::value();
  o["cells"] = pt.cells;
  o["by_dimension"] = pt.by_dimension;
  return o;
}

bj::value baseline_json(const Indicator& ind) {
  const Baseline* b = total_baseline(ind);
  if (!b) return nullptr;
  return bj::object{{"value", number(b->value)}, {"date", b->date}, {"narrative", b->narrative}};
}

}  // namespace

bj::object values_json(db::Connection& c, const OrgScope& s, std::int64_t id) {
  const Indicator ind = get(c, s, id);
  const programs::Program p = programs::require_visible(c, s, ind.program_id);
  std::vector<std::string> periods;
  const Values v = values_of(c, ind, p, true, periods);
  bj::array out;
  for (const auto& pt : v.periods) {
    bj::object o = point_json(ind, pt, true);
    auto bounds = analytics::period_bounds(pt.period);
    o["start"] = bounds ? bounds->first : p.start_date;
    o["end"] = bounds ? bounds->second : p.end_date;
    out.push_back(std::move(o));
  }
  const Point* latest = nullptr;
  for (const auto& pt : v.periods)
    if (pt.has_data) latest = &pt;
  return bj::object{
      {"indicator_id", std::to_string(ind.id)},
      {"title", ind.title},
      {"measure", ind.measure},
      {"direction", ind.direction},
      {"unit_label", ind.unit_label},
      {"frequency", ind.frequency},
      {"aggregation", ind.aggregation},
      {"margin_percent", number(ind.margin_percent)},
      {"source", ind.source},
      {"calculation", ind.computation ? bj::value(ind.computation->calculation)
                      : ind.attendance ? bj::value("count")
                                       : bj::value()},
      {"baseline", baseline_json(ind)},
      {"periods", std::move(out)},
      {"latest", latest ? bj::value(point_json(ind, *latest, false)) : bj::value()},
      {"life_of_program", point_json(ind, v.life, true)},
      {"computed_at", ind.computed_at ? bj::value(format_iso8601(*ind.computed_at)) : bj::value()},
      {"needs_recompute", stale(ind, p)}};
}

bj::object dashboard_json(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  const programs::Program p = programs::require_visible(c, s, program_id);
  std::map<std::int64_t, int> tier_of;
  for (const auto& r : c.query("SELECT id, tier FROM result_nodes WHERE program_id = $1", {program_id}))
    tier_of[r.int_at(0)] = static_cast<int>(r.int_at(1));
  bj::array items;
  for (const Indicator& ind : list(c, s, program_id)) {
    std::vector<std::string> periods;
    const Values v = values_of(c, ind, p, false, periods);
    const Point* latest = nullptr;
    for (const auto& pt : v.periods)
      if (pt.has_data) latest = &pt;
    bj::value latest_json = latest ? bj::value(point_json(ind, *latest, false)) : bj::value();
    bj::value status;
    if (latest)
      status = latest_json.as_object()["status"];
    else if (!ind.targets.empty() && ind.measure != "qualitative")
      status = "no_data";
    const int tier = tier_of.count(ind.result_node_id) ? tier_of[ind.result_node_id] : -1;
    items.push_back(bj::object{{"id", std::to_string(ind.id)},
                               {"code", ind.code},
                               {"title", ind.title},
                               {"result_node_id", std::to_string(ind.result_node_id)},
                               {"level", tier >= 0 && static_cast<std::size_t>(tier) < p.tiers.size()
                                             ? p.tiers[static_cast<std::size_t>(tier)]
                                             : std::string()},
                               {"measure", ind.measure},
                               {"direction", ind.direction},
                               {"unit_label", ind.unit_label},
                               {"frequency", ind.frequency},
                               {"aggregation", ind.aggregation},
                               {"source", ind.source},
                               {"baseline", baseline_json(ind)},
                               {"latest", std::move(latest_json)},
                               {"life_of_program", point_json(ind, v.life, false)},
                               {"status", std::move(status)},
                               {"needs_recompute", stale(ind, p)}});
  }
  return bj::object{{"program", bj::object{{"id", std::to_string(p.id)},
                                           {"name", p.name},
                                           {"start_date", p.start_date},
                                           {"end_date", p.end_date},
                                           {"status", p.status}}},
                    {"indicators", std::move(items)}};
}

}  // namespace gotong::domain::indicators
