// The report model as JSON, for the web app's HTML view of the report.
#include <boost/json.hpp>

#include "reports/format.hpp"
#include "reports/writers.hpp"

namespace gotong::reports {

namespace bj = boost::json;

namespace {

bj::value num(const std::optional<double>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
bj::value num(const std::optional<std::int64_t>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
bj::value text(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

bj::object indicator_json(const Indicator& i, Lang l) {
  bj::array points, disaggregation;
  for (const auto& p : i.points)
    points.push_back(bj::object{{"period", p.period},
                                {"period_label", format_period(p.period, l)},
                                {"start", p.start},
                                {"end", p.end},
                                {"target", num(p.target)},
                                {"actual", num(p.actual)},
                                {"status", p.status.empty() ? bj::value() : bj::value(p.status)}});
  for (const auto& d : i.disaggregation) {
    bj::array values;
    for (const auto& v : d.values)
      values.push_back(bj::object{{"key", v.key},
                                  {"label", category_label(d, v.key, l)},
                                  {"value", num(v.value)},
                                  {"units", num(v.units)}});
    disaggregation.push_back(bj::object{{"dimension", d.dimension},
                                        {"dimension_label", dimension_label(d.dimension, l)},
                                        {"kind", d.kind},
                                        {"values", std::move(values)}});
  }
  return bj::object{{"id", std::to_string(i.id)},
                    {"code", i.code},
                    {"title", i.title},
                    {"definition", i.definition},
                    {"measure", i.measure},
                    {"direction", i.direction},
                    {"unit_label", i.unit_label},
                    {"source", i.source},
                    {"frequency", i.frequency},
                    {"baseline", num(i.baseline)},
                    {"baseline_date", i.baseline_date},
                    {"baseline_narrative", i.baseline_narrative},
                    {"actual", num(i.actual)},
                    {"actual_period", i.actual_period},
                    {"actual_narrative", i.actual_narrative},
                    {"target", num(i.target)},
                    {"target_period", i.target_period},
                    {"life_target", num(i.life_target)},
                    {"status", i.status.empty() ? bj::value() : bj::value(i.status)},
                    {"status_label", status_label(i.status, l)},
                    {"points", std::move(points)},
                    {"disaggregation", std::move(disaggregation)}};
}

bj::object budget_row_json(const BudgetRow& r) {
  return bj::object{{"code", r.code},
                    {"name", r.name},
                    {"planned", r.planned},
                    {"actual", r.actual},
                    {"planned_in_period", r.planned_in_period},
                    {"actual_in_period", r.actual_in_period}};
}

bj::array counts(const std::array<std::int64_t, 5>& a) {
  bj::array out;
  for (std::size_t i = 0; i < a.size(); ++i)
    out.push_back(bj::object{{"age_band", kAgeBands[i]}, {"count", a[i]}});
  return out;
}

}  // namespace

bj::object to_json(const ProgramReport& r) {
  const Lang l = r.lang;
  bj::array results;
  for (const auto& n : r.results) {
    bj::array inds;
    for (const auto& i : n.indicators) inds.push_back(indicator_json(i, l));
    results.push_back(
        bj::object{{"id", std::to_string(n.id)},
                   {"parent_id", n.parent_id ? bj::value(std::to_string(*n.parent_id)) : bj::value()},
                   {"tier", n.tier},
                   {"tier_name", n.tier_name},
                   {"code", n.code},
                   {"title", n.title},
                   {"narrative", n.narrative},
                   {"assumptions", n.assumptions},
                   {"risks", n.risks},
                   {"indicators", std::move(inds)}});
  }
  bj::array activities;
  for (const auto& a : r.activities)
    activities.push_back(bj::object{{"code", a.code},
                                    {"title", a.title},
                                    {"status", a.status},
                                    {"status_label", activity_status_label(a.status, l)},
                                    {"planned_start", a.planned_start},
                                    {"planned_end", a.planned_end},
                                    {"actual_start", text(a.actual_start)},
                                    {"actual_end", text(a.actual_end)},
                                    {"responsible", a.responsible},
                                    {"area", a.area},
                                    {"sessions", a.sessions},
                                    {"attendances", a.attendances},
                                    {"unique_people", a.unique_people}});
  const Reach& x = r.reach;
  bj::object reach{{"sessions", x.sessions},
                   {"attendances", x.attendances},
                   {"unique_people", x.unique_people},
                   {"female", x.female},
                   {"male", x.male},
                   {"age_bands", counts(x.age_bands)},
                   {"female_by_age_band", counts(x.sex_by_age_band[0])},
                   {"male_by_age_band", counts(x.sex_by_age_band[1])},
                   {"with_disability", x.with_disability},
                   {"without_disability", x.without_disability},
                   {"disability_unknown", x.disability_unknown}};
  const Budget& b = r.budget;
  bj::array categories, lines, months;
  for (const auto& c : b.categories) categories.push_back(budget_row_json(c));
  for (const auto& c : b.lines) lines.push_back(budget_row_json(c));
  for (const auto& m : b.months)
    months.push_back(bj::object{{"period", m.period}, {"planned", m.planned}, {"actual", m.actual}});
  bj::value budget = nullptr;
  if (b.present)
    budget = bj::object{{"currency", b.currency},
                        {"minor_digits", minor_digits(b.currency)},
                        {"planned_total", b.planned_total},
                        {"planned_to_date", b.planned_to_date},
                        {"actual_to_date", b.actual_to_date},
                        {"planned_in_period", b.planned_in_period},
                        {"actual_in_period", b.actual_in_period},
                        {"people_in_period", b.people_in_period},
                        {"cost_per_person_in_period", num(b.cost_per_person_in_period)},
                        {"people_to_date", b.people_to_date},
                        {"cost_per_person_to_date", num(b.cost_per_person_to_date)},
                        {"categories", std::move(categories)},
                        {"lines", std::move(lines)},
                        {"months", std::move(months)}};
  bj::array evaluations;
  for (const auto& e : r.evaluations) {
    bj::array rows, criteria;
    for (const auto& row : e.rows)
      rows.push_back(bj::object{{"variable", row.variable},
                                {"statistic", row.statistic},
                                {"before", num(row.before)},
                                {"after", num(row.after)},
                                {"change", num(row.change)},
                                {"ci_low", num(row.ci_low)},
                                {"ci_high", num(row.ci_high)},
                                {"p_value", num(row.p_value)},
                                {"did", num(row.did)},
                                {"n_before", row.n_before},
                                {"n_after", row.n_after},
                                {"sentence", row.sentence}});
    for (const auto& c : e.criteria)
      criteria.push_back(bj::object{{"criterion", c.criterion},
                                    {"criterion_label", criterion_label(c.criterion, l)},
                                    {"rating", c.rating ? bj::value(*c.rating) : bj::value()},
                                    {"rating_label", c.rating_label},
                                    {"evidence", c.evidence},
                                    {"narrative", c.narrative}});
    evaluations.push_back(bj::object{{"title", e.title},
                                     {"status", e.status},
                                     {"rows", std::move(rows)},
                                     {"criteria", std::move(criteria)},
                                     {"lessons", e.lessons},
                                     {"note", e.note}});
  }
  bj::array areas, stakeholders;
  for (const auto& a : r.areas) areas.push_back(bj::value(a));
  for (const auto& [name, role] : r.stakeholders)
    stakeholders.push_back(
        bj::object{{"name", name}, {"role", role}, {"role_label", stakeholder_role_label(role, l)}});
  const Narrative& n = r.narrative;
  return bj::object{
      {"lang", l == Lang::id ? "id" : "en"},
      {"organisation", bj::object{{"name", r.organisation.name}, {"slug", r.organisation.slug}}},
      {"program", bj::object{{"id", std::to_string(r.program_id)},
                             {"name", r.program_name},
                             {"description", r.description},
                             {"status", r.status},
                             {"status_label", program_status_label(r.status, l)},
                             {"start_date", r.program_start},
                             {"end_date", r.program_end},
                             {"currency", r.currency},
                             {"areas", std::move(areas)},
                             {"stakeholders", std::move(stakeholders)}}},
      {"period", bj::object{{"from", r.period.from},
                            {"to", r.period.to},
                            {"label", format_date(r.period.from, l) + " – " + format_date(r.period.to, l)}}},
      {"generated_on", r.generated_on},
      {"results", std::move(results)},
      {"activities", std::move(activities)},
      {"reach", std::move(reach)},
      {"budget", std::move(budget)},
      {"evaluations", std::move(evaluations)},
      {"narrative", bj::object{{"summary", n.summary},
                               {"achievements", n.achievements},
                               {"challenges", n.challenges},
                               {"lessons", n.lessons},
                               {"next_steps", n.next_steps}}}};
}

std::string file_name(const ProgramReport& r, const std::string& extension) {
  std::string slug;
  for (unsigned char ch : r.program_name) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      slug.push_back(static_cast<char>(ch));
    } else if (ch >= 'A' && ch <= 'Z') {
      slug.push_back(static_cast<char>(ch - 'A' + 'a'));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
    if (slug.size() >= 40) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "program-" + std::to_string(r.program_id);
  return std::string(r.lang == Lang::id ? "laporan-" : "report-") + slug + "-" + r.period.from + "-" +
         r.period.to + "." + extension;
}

}  // namespace gotong::reports
