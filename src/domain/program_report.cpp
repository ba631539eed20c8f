#include "domain/program_report.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "analytics/status.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/activities.hpp"
#include "domain/attendance.hpp"
#include "domain/budget.hpp"
#include "domain/indicators.hpp"
#include "domain/programs.hpp"
#include "domain/report_evaluations.hpp"
#include "domain/report_narratives.hpp"
#include "domain/results.hpp"

namespace gotong::domain::program_report {

namespace bj = boost::json;
using reports::Lang;

namespace {

std::optional<double> opt_number(const bj::value* v) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}
std::optional<std::int64_t> opt_int(const bj::value* v) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return std::nullopt;
}
std::string str(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string today() { return format_iso8601(now_millis()).substr(0, 10); }

// A cell object {"sex": "female", "area": "..."} as a dimension name and a category.
std::pair<std::string, std::string> cell_key(const bj::object& cell) {
  std::string names, values;
  for (const auto& [k, v] : cell) {
    names += (names.empty() ? "" : " × ") + std::string(k);
    values +=
        (values.empty() ? "" : " × ") + (v.is_string() ? std::string(v.as_string()) : json::serialize(v));
  }
  return {names, values};
}

// The name of the area an indicator's area cell stands for: its key is the area's code (official
// regions, or the organisation's sub-areas with a code) or ends in the sub-area's id.
std::string area_name(db::Connection& c, const OrgScope& s, const std::string& key) {
  if (key.empty()) return {};
  if (auto r = c.query_one("SELECT name FROM areas WHERE org_id = $1 AND code = $2", {s.org_id(), key}))
    return r->text_at(0);
  if (auto r = c.query_one("SELECT name FROM areas WHERE code = $1 AND org_id IS NULL", {key}))
    return r->text_at(0);
  const auto dot = key.rfind('.');
  const std::string last = dot == std::string::npos ? key : key.substr(dot + 1);
  if (!last.empty() && last.size() < 19 && last.find_first_not_of("0123456789") == std::string::npos)
    if (auto r = c.query_one("SELECT name FROM areas WHERE id = $1 AND org_id = $2",
                             {std::stoll(last), s.org_id()}))
      return r->text_at(0);
  return {};
}

// The figures of one indicator within the period, from the same values the API shows.
reports::Indicator indicator_in_period(db::Connection& c, const OrgScope& s, const indicators::Indicator& ind,
                                       const reports::Period& period) {
  reports::Indicator out;
  out.id = ind.id;
  out.code = ind.code;
  out.title = ind.title;
  out.definition = ind.definition;
  out.measure = ind.measure;
  out.direction = ind.direction;
  out.unit_label = ind.unit_label;
  out.source = ind.source;
  out.frequency = ind.frequency;
  for (const auto& b : ind.baselines)
    if (b.cell.empty()) {
      out.baseline = b.value;
      out.baseline_date = b.date;
      out.baseline_narrative = b.narrative;
    }
  std::optional<double> life_target;
  for (const auto& t : ind.targets)
    if (t.period == "LOP") life_target = t.value;
  out.life_target = life_target;

  const bj::object values = indicators::values_json(c, s, ind.id);
  const bj::object* with_data = nullptr;
  const bj::value* periods = values.if_contains("periods");
  if (periods && periods->is_array())
    for (const auto& pv : periods->as_array()) {
      if (!pv.is_object()) continue;
      const bj::object& p = pv.as_object();
      const std::string start = str(p, "start"), end = str(p, "end");
      // Every period up to the report's end, so the charts show the trend since the program began;
      // the figure of the report comes from the periods within it.
      if (start > period.to) continue;
      reports::IndicatorPoint pt;
      pt.period = str(p, "period");
      pt.start = start;
      pt.end = end;
      pt.target = opt_number(p.if_contains("target"));
      pt.actual = opt_number(p.if_contains("value"));
      pt.status = str(p, "status");
      const bj::value* has = p.if_contains("has_data");
      const bool data = has && has->is_bool() ? has->as_bool() : pt.actual.has_value();
      if (data && end >= period.from) with_data = &p;
      out.points.push_back(std::move(pt));
    }
  if (with_data) {
    const bj::object& p = *with_data;
    out.actual_period = str(p, "period");
    out.actual = opt_number(p.if_contains("value"));
    out.actual_narrative = str(p, "narrative");
    out.target = opt_number(p.if_contains("target"));
    if (out.target) out.target_period = out.actual_period;
    out.status = str(p, "status");
    const bj::value* dims = p.if_contains("by_dimension");
    if (dims && dims->is_object() && !dims->as_object().empty()) {
      for (const auto& d : ind.dimensions) {
        const bj::value* list = dims->as_object().if_contains(d.name);
        if (!list || !list->is_array()) continue;
        reports::Disaggregation dis;
        dis.dimension = d.name;
        dis.kind = d.kind;
        dis.field = d.field;
        for (const auto& v : list->as_array()) {
          if (!v.is_object()) continue;
          const std::string key = str(v.as_object(), "key");
          dis.values.push_back({key, d.kind == "area" ? area_name(c, s, key) : std::string(),
                                opt_number(v.as_object().if_contains("value")),
                                opt_int(v.as_object().if_contains("units"))});
        }
        if (!dis.values.empty()) out.disaggregation.push_back(std::move(dis));
      }
    } else if (const bj::value* cells = p.if_contains("cells"); cells && cells->is_array()) {
      // Values entered by hand come per cell; one dimension per combination of names.
      std::map<std::string, std::size_t> at;
      for (const auto& cv : cells->as_array()) {
        if (!cv.is_object()) continue;
        const bj::value* cell = cv.as_object().if_contains("cell");
        if (!cell || !cell->is_object() || cell->as_object().empty()) continue;
        auto [name, key] = cell_key(cell->as_object());
        auto it = at.find(name);
        if (it == at.end()) {
          it = at.emplace(name, out.disaggregation.size()).first;
          out.disaggregation.push_back({name, "list", "", {}});
        }
        out.disaggregation[it->second].values.push_back(
            {key, "", opt_number(cv.as_object().if_contains("value")), std::nullopt});
      }
    }
  }
  // Without a target for that period, the life-of-program target tells where the program stands.
  if (!out.target && life_target) {
    out.target = life_target;
    out.target_period = "LOP";
    if (ind.measure != "qualitative")
      if (auto dir = analytics::parse_direction(ind.direction))
        if (auto st = analytics::status_of(out.actual, out.target, *dir, ind.margin_percent / 100.0))
          out.status = std::string(analytics::status_name(*st));
  }
  if (!with_data && out.status.empty() && out.target && ind.measure != "qualitative") out.status = "no_data";
  return out;
}

void budget_section(db::Connection& c, const OrgScope& s, const programs::Program& p,
                    const reports::Period& period, reports::ProgramReport& r) {
  reports::Budget& b = r.budget;
  b.currency = p.currency;
  struct LineSums {
    reports::BudgetRow row;
    std::string category;
  };
  std::vector<LineSums> lines;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& row :
       c.query("SELECT id, code, name, category FROM budget_lines WHERE program_id = $1 AND "
               "org_id = $2 ORDER BY code, name, id",
               {p.id, s.org_id()})) {
    at[row.int_at(0)] = lines.size();
    lines.push_back({reports::BudgetRow{row.text_at(1), row.text_at(2)}, row.text_at(3)});
  }
  if (lines.empty()) return;
  b.present = true;
  const std::string from_month = period.from.substr(0, 7), to_month = period.to.substr(0, 7);
  // Plans lie within the program's months: the chart's months are those the period shares with it.
  const std::string first_month = std::max(from_month, p.start_date.substr(0, 7));
  const std::string last_month = std::min(to_month, p.end_date.substr(0, 7));
  std::map<std::string, reports::BudgetMonth> months;
  // Every month of the period, also those without a plan or spending.
  for (std::string m = first_month; m <= last_month;) {
    months[m].period = m;
    int year = std::stoi(m.substr(0, 4)), month = std::stoi(m.substr(5, 2)) + 1;
    if (month > 12) {
      month = 1;
      ++year;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    m = buf;
  }
  for (const auto& row :
       c.query("SELECT a.line_id, a.period, a.amount FROM budget_amounts a JOIN budget_lines l ON "
               "l.id = a.line_id WHERE l.program_id = $1 AND l.org_id = $2",
               {p.id, s.org_id()})) {
    auto it = at.find(row.int_at(0));
    if (it == at.end()) continue;
    reports::BudgetRow& line = lines[it->second].row;
    const std::string month = row.text_at(1);
    const std::int64_t amount = row.int_at(2);
    line.planned += amount;
    b.planned_total += amount;
    if (month <= to_month) b.planned_to_date += amount;
    // Plans are by month: a month the period touches counts whole.
    if (month >= from_month && month <= to_month) {
      line.planned_in_period += amount;
      b.planned_in_period += amount;
      if (auto it_m = months.find(month); it_m != months.end()) it_m->second.planned += amount;
    }
  }
  for (const auto& row : c.query("SELECT line_id, spent_on, SUM(amount) FROM expenditures WHERE program_id = "
                                 "$1 AND org_id = $2 AND "
                                 "deleted_at IS NULL AND spent_on <= $3 GROUP BY line_id, spent_on",
                                 {p.id, s.org_id(), period.to})) {
    auto it = at.find(row.int_at(0));
    if (it == at.end()) continue;
    reports::BudgetRow& line = lines[it->second].row;
    const std::string day = row.text_at(1);
    const std::int64_t amount = row.int_at(2);
    line.actual += amount;
    b.actual_to_date += amount;
    if (day >= period.from) {
      line.actual_in_period += amount;
      b.actual_in_period += amount;
      auto month = months.find(day.substr(0, 7));
      if (month != months.end()) month->second.actual += amount;
    }
  }
  std::map<std::string, reports::BudgetRow> categories;
  for (auto& l : lines) {
    reports::BudgetRow& cat = categories[l.category];
    cat.code = l.category;
    cat.name = budget::category_name(l.category);
    cat.planned += l.row.planned;
    cat.actual += l.row.actual;
    cat.planned_in_period += l.row.planned_in_period;
    cat.actual_in_period += l.row.actual_in_period;
    b.lines.push_back(std::move(l.row));
  }
  for (auto& [k, v] : categories) {
    (void)k;
    b.categories.push_back(std::move(v));
  }
  for (auto& [k, v] : months) {
    (void)k;
    b.months.push_back(v);
  }
  b.people_in_period = r.reach.unique_people;
  b.cost_per_person_in_period = budget::per_unit(b.actual_in_period, b.people_in_period);
  attendance::ReachFilter to_date;
  to_date.program_id = p.id;
  to_date.to = period.to;
  to_date.as_of = std::min(period.to, today());
  b.people_to_date = attendance::compute_reach(c, s.org_id(), to_date).unique_people.total;
  b.cost_per_person_to_date = budget::per_unit(b.actual_to_date, b.people_to_date);
}

void copy_breakdown(const attendance::Breakdown& from, reports::Reach& to) {
  to.unique_people = from.total;
  to.female = from.female;
  to.male = from.male;
  to.age_bands = from.age_bands;
  to.sex_by_age_band = from.sex_by_age_band;
  to.with_disability = from.with_disability;
  to.without_disability = from.without_disability;
  to.disability_unknown = from.disability_unknown;
}

reports::ProgramReport build(db::Connection& c, const OrgScope& s, const programs::Detail& d,
                             const reports::Period& period, Lang lang, bool narrative_and_activities) {
  const programs::Program& p = d.program;
  reports::ProgramReport r;
  r.lang = lang;
  if (auto org = c.query_one("SELECT name, slug FROM organisations WHERE id = $1", {s.org_id()}))
    r.organisation = {org->text_at(0), org->text_at(1)};
  r.program_id = p.id;
  r.program_name = p.name;
  r.description = p.description;
  r.status = p.status;
  r.program_start = p.start_date;
  r.program_end = p.end_date;
  r.currency = p.currency;
  for (const auto& a : d.areas) r.areas.push_back(a.name);
  for (const auto& st : d.stakeholders) r.stakeholders.emplace_back(st.name, st.role);
  r.period = period;
  r.generated_on = today();

  // The framework with its indicators under their nodes.
  std::map<std::int64_t, std::size_t> node_at;
  for (const auto& n : results::nodes(c, s, p.id)) {
    reports::ResultNode rn;
    rn.id = n.id;
    rn.parent_id = n.parent_id;
    rn.tier = n.tier;
    rn.tier_name = static_cast<std::size_t>(n.tier) < p.tiers.size()
                       ? p.tiers[static_cast<std::size_t>(n.tier)]
                       : std::string();
    rn.code = n.code;
    rn.title = n.title;
    rn.narrative = n.narrative;
    rn.assumptions = n.assumptions;
    rn.risks = n.risks;
    node_at[n.id] = r.results.size();
    r.results.push_back(std::move(rn));
  }
  // Depth first, so that each node follows its parent as in the framework's tree.
  {
    std::map<std::optional<std::int64_t>, std::vector<std::size_t>> children;
    for (std::size_t i = 0; i < r.results.size(); ++i) {
      auto parent = r.results[i].parent_id;
      if (parent && !node_at.count(*parent)) parent.reset();
      children[parent].push_back(i);
    }
    std::vector<reports::ResultNode> ordered;
    std::vector<std::size_t> stack;
    auto push_children = [&](std::optional<std::int64_t> parent) {
      auto it = children.find(parent);
      if (it == children.end()) return;
      for (auto k = it->second.rbegin(); k != it->second.rend(); ++k) stack.push_back(*k);
    };
    push_children(std::nullopt);
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      ordered.push_back(r.results[i]);
      push_children(r.results[i].id);
    }
    r.results = std::move(ordered);
    node_at.clear();
    for (std::size_t i = 0; i < r.results.size(); ++i) node_at[r.results[i].id] = i;
  }
  for (const auto& ind : indicators::list(c, s, p.id)) {
    auto it = node_at.find(ind.result_node_id);
    if (it == node_at.end()) continue;
    r.results[it->second].indicators.push_back(indicator_in_period(c, s, ind, period));
  }
  if (!narrative_and_activities) {
    budget_section(c, s, p, period, r);  // IATI: budgets per year and spending per month
    return r;
  }

  const std::string as_of = std::min(period.to, today());
  attendance::ReachFilter rf;
  rf.program_id = p.id;
  rf.from = period.from;
  rf.to = period.to;
  rf.as_of = as_of;
  const attendance::Reach reach = attendance::compute_reach(c, s.org_id(), rf);
  r.reach.sessions = reach.sessions_held;
  r.reach.attendances = reach.attendances.total;
  copy_breakdown(reach.unique_people, r.reach);

  activities::Filter af;
  af.from = period.from;
  af.to = period.to;
  std::optional<std::string> cursor;
  do {
    auto page = activities::list(c, s, p.id, af, cursor, 200);
    for (const auto& a : page.items) {
      reports::Activity ra;
      ra.code = a.code;
      ra.title = a.title;
      ra.status = a.status;
      ra.planned_start = a.planned_start;
      ra.planned_end = a.planned_end;
      ra.actual_start = a.actual_start;
      ra.actual_end = a.actual_end;
      if (a.responsible_stakeholder) {
        ra.responsible = a.responsible_stakeholder->name;
      } else if (a.responsible_user) {
        ra.responsible = a.responsible_user->name;
      }
      if (a.area) ra.area = a.area->name;
      attendance::ReachFilter one = rf;
      one.activity_id = a.id;
      const attendance::Reach ar = attendance::compute_reach(c, s.org_id(), one);
      ra.sessions = ar.sessions_held;
      ra.attendances = ar.attendances.total;
      ra.unique_people = ar.unique_people.total;
      r.activities.push_back(std::move(ra));
    }
    cursor = page.next_cursor;
  } while (cursor);

  budget_section(c, s, p, period, r);
  r.evaluations = report_evaluations::for_report(c, s, p.id, lang);
  r.narrative = report_narratives::for_report(c, s, report_narratives::Key{p.id, period, lang});
  return r;
}

}  // namespace

reports::ProgramReport gather(db::Connection& c, const OrgScope& s, const Request& req) {
  const programs::Detail d = programs::get(c, s, req.program_id);
  const programs::Program& p = d.program;
  const auto key = report_narratives::make_key(p.id, req.from.value_or(p.start_date),
                                               req.to.value_or(p.end_date), req.lang);
  if (key.period.to < p.start_date || key.period.from > p.end_date)
    throw invalid_field(
        key.period.to < p.start_date ? "to" : "from",
        "the period must overlap the program's period (" + p.start_date + " to " + p.end_date + ")");
  return build(c, s, d, key.period, key.lang, true);
}

reports::IatiFile gather_iati(db::Connection& c, const OrgScope& s, const reports::IatiOptions& options) {
  reports::IatiFile f;
  f.options = options;
  for (std::int64_t id : programs::visible_program_ids(c, s)) {
    const programs::Detail d = programs::get(c, s, id);
    f.programs.push_back(build(c, s, d, {d.program.start_date, d.program.end_date}, options.lang, false));
  }
  if (f.programs.empty()) throw Error(ErrorCode::not_found, "the organisation has no program to publish");
  return f;
}

}  // namespace gotong::domain::program_report
