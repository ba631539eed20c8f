#include "domain/budget.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/activity_fields.hpp"
#include "domain/attendance.hpp"
#include "domain/audit.hpp"
#include "domain/form_media.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::budget {

namespace bj = boost::json;
namespace af = activity_fields;

std::string category_name(std::string_view category) {
  for (const auto& b : kApbdesBidang)
    if (category == b.id) return b.name;
  return std::string(category);
}

bool valid_period(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6})
    if (s[i] < '0' || s[i] > '9') return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  return month >= 1 && month <= 12 && s.substr(0, 4) >= "1900";
}

// -- the report (pure) ----------------------------------------------------------------------
Figures figures(std::int64_t planned, std::int64_t planned_to_date, std::int64_t actual) {
  Figures f;
  f.planned = planned;
  f.planned_to_date = planned_to_date;
  f.actual = actual;
  if (planned_to_date > 0)
    f.burn_rate_to_date = static_cast<double>(actual) / static_cast<double>(planned_to_date);
  if (planned > 0) f.burn_rate_total = static_cast<double>(actual) / static_cast<double>(planned);
  return f;
}

std::optional<std::int64_t> per_unit(std::int64_t amount, std::int64_t units) {
  if (units <= 0) return std::nullopt;
  return static_cast<std::int64_t>(
      std::llround(static_cast<long double>(amount) / static_cast<long double>(units)));
}

Report compute_report(const std::vector<LineFigures>& lines, const std::string& as_of,
                      std::int64_t unique_people_reached) {
  Report r;
  r.as_of = as_of;
  r.as_of_period = as_of.substr(0, 7);
  struct Sums {
    std::int64_t planned = 0, to_date = 0, actual = 0;
  };
  Sums total;
  std::map<std::string, Sums> categories, sources;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> periods;  // planned, actual
  for (const auto& l : lines) {
    Sums s;
    for (const auto& [period, amount] : l.planned) {
      s.planned += amount;
      if (period <= r.as_of_period) s.to_date += amount;
      periods[period].first += amount;
    }
    for (const auto& [period, amount] : l.actual) {
      s.actual += amount;
      periods[period].second += amount;
    }
    for (Sums* into : {&total, &categories[l.category], &sources[l.funding_source]}) {
      into->planned += s.planned;
      into->to_date += s.to_date;
      into->actual += s.actual;
    }
    Report::Line line;
    line.source = &l;
    line.figures = figures(s.planned, s.to_date, s.actual);
    if (l.output_planned) line.planned_cost_per_unit = per_unit(s.planned, *l.output_planned);
    if (l.output_actual) line.actual_cost_per_unit = per_unit(s.actual, *l.output_actual);
    r.lines.push_back(line);
  }
  r.total = figures(total.planned, total.to_date, total.actual);
  for (const auto& [k, s] : categories) r.categories.emplace_back(k, figures(s.planned, s.to_date, s.actual));
  for (const auto& [k, s] : sources)
    r.funding_sources.emplace_back(k, figures(s.planned, s.to_date, s.actual));
  std::int64_t cum_planned = 0, cum_actual = 0;
  for (const auto& [period, pa] : periods) {
    cum_planned += pa.first;
    cum_actual += pa.second;
    r.periods.push_back({period, pa.first, pa.second, cum_planned, cum_actual});
  }
  r.unique_people_reached = unique_people_reached;
  r.cost_per_person_reached = per_unit(total.actual, unique_people_reached);
  return r;
}

namespace {

const char* const kSources[] = {"donor", "apbdes", "swadaya", "other"};
constexpr const char* kSourceList = "must be donor, apbdes, swadaya or other";

// Ratios with four decimals: what a person reads, and stable in tests.
bj::value ratio_json(std::optional<double> v) {
  if (!v) return nullptr;
  return std::round(*v * 10000.0) / 10000.0;
}
bj::value int_json(std::optional<std::int64_t> v) { return v ? bj::value(*v) : bj::value(); }

bj::object figures_json(const Figures& f) {
  return bj::object{{"planned", f.planned},
                    {"planned_to_date", f.planned_to_date},
                    {"actual", f.actual},
                    {"remaining", f.planned - f.actual},
                    {"burn_rate_to_date", ratio_json(f.burn_rate_to_date)},
                    {"burn_rate_total", ratio_json(f.burn_rate_total)}};
}

std::string program_months_message(const programs::Program& p) {
  return "must be a month within the program's period (" + p.start_date.substr(0, 7) + " to " +
         p.end_date.substr(0, 7) + ")";
}

// -- lines ----------------------------------------------------------------------------------
constexpr const char* kLineColumns =
    "l.id, l.program_id, l.activity_id, a.title, l.code, l.name, l.category, l.funding_source, "
    "l.donor_stakeholder_id, st.name, l.output_unit, l.output_planned, l.output_actual, l.notes, "
    "pr.currency, "
    "l.created_at, l.updated_at, l.version, "
    "(SELECT COALESCE(SUM(x.amount), 0) FROM expenditures x WHERE x.line_id = l.id AND x.deleted_at IS NULL)";
constexpr const char* kLineFrom =
    " FROM budget_lines l JOIN programs pr ON pr.id = l.program_id LEFT JOIN activities a ON a.id = "
    "l.activity_id "
    "LEFT JOIN stakeholders st ON st.id = l.donor_stakeholder_id";

Line line_from_row(db::Connection& c, const db::Row& r) {
  Line l;
  l.id = r.int_at(0);
  l.program_id = r.int_at(1);
  l.activity_id = r.opt_int(2);
  l.activity_title = r.text_at(3);
  l.code = r.text_at(4);
  l.name = r.text_at(5);
  l.category = r.text_at(6);
  l.funding_source = r.text_at(7);
  l.donor_stakeholder_id = r.opt_int(8);
  l.donor_name = r.text_at(9);
  l.output_unit = r.text_at(10);
  l.output_planned = r.opt_int(11);
  l.output_actual = r.opt_int(12);
  l.notes = r.text_at(13);
  l.currency = r.text_at(14);
  l.created_at = r.int_at(15);
  l.updated_at = r.int_at(16);
  l.version = r.int_at(17);
  l.actual_total = r.int_at(18);
  for (const auto& p :
       c.query("SELECT period, amount FROM budget_amounts WHERE line_id = $1 ORDER BY period", {l.id})) {
    l.planned.emplace_back(p.text_at(0), p.int_at(1));
    l.planned_total += p.int_at(1);
  }
  return l;
}

std::string line_visible(const OrgScope& s, db::Params& params) {
  return programs::visible_rows(s, "l", params);
}

Line load_line(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = line_visible(s, params);
  auto row =
      c.query_one(std::string("SELECT ") + kLineColumns + kLineFrom + " WHERE l.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no budget line " + std::to_string(id));
  return line_from_row(c, *row);
}

void check_activity(db::Connection& c, const OrgScope& s, std::int64_t activity_id, std::int64_t program_id) {
  if (c.query_int("SELECT program_id FROM activities WHERE id = $1 AND org_id = $2",
                  {activity_id, s.org_id()}) != std::optional<std::int64_t>(program_id))
    throw invalid_field("activity_id", "is not an activity of this program");
}

void write_amounts(db::Connection& c, const OrgScope& s, const programs::Program& p, std::int64_t line_id,
                   const std::optional<std::vector<std::pair<std::string, std::int64_t>>>& planned) {
  if (!planned) return;
  const std::string first = p.start_date.substr(0, 7), last = p.end_date.substr(0, 7);
  for (std::size_t i = 0; i < planned->size(); ++i) {
    const auto& period = (*planned)[i].first;
    if (period < first || period > last)
      throw invalid_field("planned[" + std::to_string(i) + "].period", program_months_message(p));
  }
  c.exec("DELETE FROM budget_amounts WHERE line_id = $1", {line_id});
  for (const auto& [period, amount] : *planned)
    c.exec("INSERT INTO budget_amounts(line_id, org_id, period, amount) VALUES ($1, $2, $3, $4)",
           {line_id, s.org_id(), period, amount});
}

// A donor-funded line names its donor; other lines name none.
void check_funding(db::Connection& c, const OrgScope& s, const std::string& source,
                   const std::optional<std::int64_t>& donor, bool donor_given) {
  if (source == "donor") {
    if (!donor) throw invalid_field("donor_stakeholder_id", "is required for a donor-funded line");
    af::require_stakeholder(c, s, *donor, "donor_stakeholder_id");
  } else if (donor && donor_given) {
    throw invalid_field("donor_stakeholder_id", "only a line funded by a donor names one");
  }
}

}  // namespace

LineInput parse_line_input(const bj::object& body) {
  LineInput in;
  in.activity_id = fields::nullable_id(body, "activity_id");
  in.donor_stakeholder_id = fields::nullable_id(body, "donor_stakeholder_id");
  in.code = fields::text(body, "code", 40);
  in.name = fields::text(body, "name", 300);
  if (in.name && in.name->empty()) throw invalid_field("name", "must not be empty");
  in.category = fields::text(body, "category", 100);
  if (in.category) {
    if (in.category->empty()) throw invalid_field("category", "must not be empty");
    if (in.category->rfind("apbdes_", 0) == 0 && category_name(*in.category) == *in.category)
      throw invalid_field("category", "the APBDes bidang are apbdes_1 to apbdes_5");
  }
  in.funding_source = json::optional_string(body, "funding_source", 20);
  if (in.funding_source && std::find_if(std::begin(kSources), std::end(kSources), [&](const char* k) {
                             return *in.funding_source == k;
                           }) == std::end(kSources))
    throw invalid_field("funding_source", kSourceList);
  in.output_unit = fields::text(body, "output_unit", 100);
  in.output_planned = fields::bounded_int(body, "output_planned", 0, 1'000'000'000'000, true);
  in.output_actual = fields::bounded_int(body, "output_actual", 0, 1'000'000'000'000, true);
  in.notes = fields::text(body, "notes", 20000);
  if (auto it = body.find("planned"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_array()) throw invalid_field("planned", "must be an array of {period, amount}");
    const auto& a = it->value().get_array();
    if (a.size() > 600) throw invalid_field("planned", "must have at most 600 periods");
    std::vector<std::pair<std::string, std::int64_t>> planned;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "planned[" + std::to_string(i) + "]";
      if (!a[i].is_object()) throw invalid_field(at, "must be an object {period, amount}");
      const auto& o = a[i].get_object();
      auto period = json::optional_string(o, "period", 20);
      if (!period || !valid_period(*period)) throw invalid_field(at + ".period", "must be a month YYYY-MM");
      if (!seen.insert(*period).second) throw invalid_field(at + ".period", "appears twice");
      auto amount = o.find("amount");
      if (amount == o.end() || !amount->value().is_int64() || amount->value().get_int64() < 0 ||
          amount->value().get_int64() > kMaxAmount)
        throw invalid_field(at + ".amount", "must be a whole number of minor units from 0 to 10^15");
      planned.emplace_back(*period, amount->value().get_int64());
    }
    std::sort(planned.begin(), planned.end());
    in.planned = std::move(planned);
  }
  return in;
}

std::vector<Line> lines(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                        std::optional<std::int64_t> activity_id) {
  programs::require_visible(c, s, program_id);
  db::Params params;
  std::string where = " WHERE " + line_visible(s, params);
  params.push_back(program_id);
  where += " AND l.program_id = $" + std::to_string(params.size());
  if (activity_id) {
    params.push_back(*activity_id);
    where += " AND l.activity_id = $" + std::to_string(params.size());
  }
  std::vector<Line> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kLineColumns + kLineFrom + where + " ORDER BY l.code, l.name, l.id",
               params))
    out.push_back(line_from_row(c, r));
  return out;
}

Line get_line(db::Connection& c, const OrgScope& s, std::int64_t id) { return load_line(c, s, id); }

Line create_line(db::Connection& c, const OrgScope& s, std::int64_t program_id, const LineInput& in) {
  s.require(Permission::edit_programs);
  const programs::Program p = programs::require_visible(c, s, program_id);
  if (!in.name) throw invalid_field("name", "is required");
  if (!in.category) throw invalid_field("category", "is required");
  if (!in.funding_source) throw invalid_field("funding_source", "is required");
  auto opt = [](const std::optional<std::optional<std::int64_t>>& v) { return v ? *v : std::nullopt; };
  if (opt(in.activity_id)) check_activity(c, s, *opt(in.activity_id), program_id);
  check_funding(c, s, *in.funding_source, opt(in.donor_stakeholder_id), true);
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO budget_lines(org_id, program_id, activity_id, code, name, category, funding_source, "
      "donor_stakeholder_id, output_unit, output_planned, output_actual, notes, created_at, updated_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$13) RETURNING id",
      {s.org_id(), program_id, opt(in.activity_id), in.code.value_or(""), *in.name, *in.category,
       *in.funding_source, opt(in.donor_stakeholder_id), in.output_unit.value_or(""), opt(in.output_planned),
       opt(in.output_actual), in.notes.value_or(""), now});
  const std::int64_t id = row->int_at(0);
  write_amounts(c, s, p, id, in.planned);
  Line l = load_line(c, s, id);
  audit::record(c, s, {{}, "budget_line.create", "budget_line", std::to_string(id), {}, to_json(l)});
  return l;
}

Line update_line(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                 const LineInput& in) {
  s.require(Permission::edit_programs);
  const Line before = load_line(c, s, id);
  af::check_version(before.version, expected_version, "budget line");
  const programs::Program p = programs::require_visible(c, s, before.program_id);
  Line l = before;
  if (in.activity_id) {
    l.activity_id = *in.activity_id;
    if (l.activity_id) check_activity(c, s, *l.activity_id, before.program_id);
  }
  if (in.code) l.code = *in.code;
  if (in.name) l.name = *in.name;
  if (in.category) l.category = *in.category;
  if (in.funding_source) l.funding_source = *in.funding_source;
  if (in.donor_stakeholder_id) l.donor_stakeholder_id = *in.donor_stakeholder_id;
  const bool donor_given = in.donor_stakeholder_id.has_value();
  // Moving a line away from donor funding forgets the donor, unless the body names one.
  if (l.funding_source != "donor" && !donor_given) l.donor_stakeholder_id.reset();
  check_funding(c, s, l.funding_source, l.donor_stakeholder_id, donor_given);
  if (in.output_unit) l.output_unit = *in.output_unit;
  if (in.output_planned) l.output_planned = *in.output_planned;
  if (in.output_actual) l.output_actual = *in.output_actual;
  if (in.notes) l.notes = *in.notes;
  c.exec(
      "UPDATE budget_lines SET activity_id = $1, code = $2, name = $3, category = $4, funding_source = $5, "
      "donor_stakeholder_id = $6, output_unit = $7, output_planned = $8, output_actual = $9, notes = $10, "
      "updated_at = $11, version = version + 1 WHERE id = $12",
      {l.activity_id, l.code, l.name, l.category, l.funding_source, l.donor_stakeholder_id, l.output_unit,
       l.output_planned, l.output_actual, l.notes, now_millis(), id});
  write_amounts(c, s, p, id, in.planned);
  Line after = load_line(c, s, id);
  audit::record(
      c, s, {{}, "budget_line.update", "budget_line", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove_line(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  const Line before = load_line(c, s, id);
  af::check_version(before.version, expected_version, "budget line");
  if (c.query_int("SELECT 1 FROM expenditures WHERE line_id = $1", {id}))
    throw Error(ErrorCode::conflict,
                "the line '" + before.name + "' has expenditures; it stays for the books");
  c.exec("DELETE FROM budget_amounts WHERE line_id = $1", {id});
  c.exec("DELETE FROM budget_lines WHERE id = $1", {id});
  audit::record(c, s, {{}, "budget_line.delete", "budget_line", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Line& l) {
  bj::array planned;
  for (const auto& [period, amount] : l.planned)
    planned.push_back(bj::object{{"period", period}, {"amount", amount}});
  return bj::object{{"id", std::to_string(l.id)},
                    {"program_id", std::to_string(l.program_id)},
                    {"activity_id", af::id_json(l.activity_id)},
                    {"activity_title", l.activity_id ? bj::value(l.activity_title) : bj::value()},
                    {"code", l.code},
                    {"name", l.name},
                    {"category", l.category},
                    {"category_name", category_name(l.category)},
                    {"funding_source", l.funding_source},
                    {"donor_stakeholder_id", af::id_json(l.donor_stakeholder_id)},
                    {"donor_name", l.donor_stakeholder_id ? bj::value(l.donor_name) : bj::value()},
                    {"output_unit", l.output_unit},
                    {"output_planned", int_json(l.output_planned)},
                    {"output_actual", int_json(l.output_actual)},
                    {"notes", l.notes},
                    {"currency", l.currency},
                    {"planned", std::move(planned)},
                    {"planned_total", l.planned_total},
                    {"actual_total", l.actual_total},
                    {"created_at", format_iso8601(l.created_at)},
                    {"updated_at", format_iso8601(l.updated_at)},
                    {"version", l.version}};
}

// -- expenditures -------------------------------------------------------------------------
namespace {

constexpr const char* kExpColumns =
    "x.id, x.program_id, x.line_id, l.name, x.spent_on, x.amount, x.payee, x.description, x.receipt_sha256, "
    "x.receipt_name, x.receipt_type, x.receipt_size, x.deleted_at, pr.currency, x.created_at, x.updated_at, "
    "x.version";
constexpr const char* kExpFrom =
    " FROM expenditures x JOIN budget_lines l ON l.id = x.line_id JOIN programs pr ON pr.id = x.program_id";

Expenditure exp_from_row(const db::Row& r) {
  Expenditure e;
  e.id = r.int_at(0);
  e.program_id = r.int_at(1);
  e.line_id = r.int_at(2);
  e.line_name = r.text_at(3);
  e.spent_on = r.text_at(4);
  e.amount = r.int_at(5);
  e.payee = r.text_at(6);
  e.description = r.text_at(7);
  if (!r.null_at(8)) e.receipt = Receipt{r.text_at(8), r.text_at(9), r.text_at(10), r.int_at(11)};
  e.deleted_at = r.opt_int(12);
  e.currency = r.text_at(13);
  e.created_at = r.int_at(14);
  e.updated_at = r.int_at(15);
  e.version = r.int_at(16);
  return e;
}

std::string exp_visible(const OrgScope& s, db::Params& params) {
  return programs::visible_rows(s, "x", params);
}

Expenditure load_exp(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = exp_visible(s, params);
  auto row =
      c.query_one(std::string("SELECT ") + kExpColumns + kExpFrom + " WHERE x.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no expenditure " + std::to_string(id));
  return exp_from_row(*row);
}

// An expenditure to change: current version, not in the bin.
Expenditure changeable(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Expenditure e = load_exp(c, s, id);
  af::check_version(e.version, expected_version, "expenditure");
  if (e.deleted_at) throw Error(ErrorCode::conflict, "expenditure " + std::to_string(id) + " is in the bin");
  return e;
}

void check_spent_on(const programs::Program& p, const std::string& date) {
  if (date < p.start_date || date > p.end_date)
    throw invalid_field("spent_on",
                        "must lie within the program's period (" + p.start_date + " to " + p.end_date + ")");
}

// Only types a browser shows without running anything: a receipt is served to other members.
std::string receipt_type(std::string_view name, std::string_view given) {
  static const char* const kAllowed[] = {"image/jpeg", "image/png", "image/webp", "image/gif",
                                         "application/pdf"};
  std::string type = text::to_lower_ascii(given.substr(0, given.find(';')));
  type = text::trim(type);
  for (const char* a : kAllowed)
    if (type == a) return type;
  const std::string lower = text::to_lower_ascii(name);
  if (lower.ends_with(".pdf")) return "application/pdf";
  const std::string guessed = form_media::guess_content_type(name);
  for (const char* a : kAllowed)
    if (guessed == a) return guessed;
  return "application/octet-stream";
}

bj::object exp_audit(const Expenditure& e) { return to_json(e); }

}  // namespace

ExpenditureInput parse_expenditure_input(const bj::object& body) {
  ExpenditureInput in;
  in.line_id = json::optional_id(body, "line_id");
  in.spent_on = fields::date(body, "spent_on");
  in.payee = fields::text(body, "payee", 300);
  if (in.payee && in.payee->empty()) throw invalid_field("payee", "must not be empty");
  in.description = fields::text(body, "description", 5000);
  if (auto it = body.find("amount"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_int64() || it->value().get_int64() <= 0 || it->value().get_int64() > kMaxAmount)
      throw invalid_field("amount", "must be a whole number of minor units from 1 to 10^15");
    in.amount = it->value().get_int64();
  }
  return in;
}

ExpenditurePage expenditures(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                             const ExpenditureFilter& f, std::optional<std::string> cursor, int limit) {
  programs::require_visible(c, s, program_id);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + exp_visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  where += " AND x.program_id = " + n(program_id);
  where += f.deleted ? " AND x.deleted_at IS NOT NULL" : " AND x.deleted_at IS NULL";
  if (f.line_id) where += " AND x.line_id = " + n(*f.line_id);
  if (f.from) where += " AND x.spent_on >= " + n(*f.from);
  if (f.to) where += " AND x.spent_on <= " + n(*f.to);
  return fields::offset_page<ExpenditurePage>(
      c, std::string("SELECT ") + kExpColumns + kExpFrom + where + " ORDER BY x.spent_on DESC, x.id DESC",
      params, limit, offset, [&](const db::Row& r) { return exp_from_row(r); });
}

Expenditure get_expenditure(db::Connection& c, const OrgScope& s, std::int64_t id) {
  return load_exp(c, s, id);
}

Expenditure create_expenditure(db::Connection& c, const OrgScope& s, std::int64_t line_id,
                               const ExpenditureInput& in) {
  s.require(Permission::edit_programs);
  const Line line = load_line(c, s, line_id);
  const programs::Program p = programs::require_visible(c, s, line.program_id);
  if (!in.spent_on) throw invalid_field("spent_on", "is required");
  if (!in.amount) throw invalid_field("amount", "is required");
  if (!in.payee) throw invalid_field("payee", "is required");
  if (in.line_id && *in.line_id != line_id) throw invalid_field("line_id", "is given by the address");
  check_spent_on(p, *in.spent_on);
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO expenditures(org_id, program_id, line_id, spent_on, amount, payee, description, "
      "created_by, "
      "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id",
      {s.org_id(), line.program_id, line_id, *in.spent_on, *in.amount, *in.payee, in.description.value_or(""),
       af::user_or_null(s), now});
  Expenditure e = load_exp(c, s, row->int_at(0));
  audit::record(c, s, {{}, "expenditure.create", "expenditure", std::to_string(e.id), {}, exp_audit(e)});
  return e;
}

Expenditure update_expenditure(db::Connection& c, const OrgScope& s, std::int64_t id,
                               std::int64_t expected_version, const ExpenditureInput& in) {
  const Expenditure before = changeable(c, s, id, expected_version);
  const programs::Program p = programs::require_visible(c, s, before.program_id);
  Expenditure e = before;
  if (in.line_id && *in.line_id != e.line_id) {
    if (c.query_int("SELECT program_id FROM budget_lines WHERE id = $1 AND org_id = $2",
                    {*in.line_id, s.org_id()}) != std::optional<std::int64_t>(e.program_id))
      throw invalid_field("line_id", "is not a budget line of this program");
    e.line_id = *in.line_id;
  }
  if (in.spent_on) {
    check_spent_on(p, *in.spent_on);
    e.spent_on = *in.spent_on;
  }
  if (in.amount) e.amount = *in.amount;
  if (in.payee) e.payee = *in.payee;
  if (in.description) e.description = *in.description;
  c.exec(
      "UPDATE expenditures SET line_id = $1, spent_on = $2, amount = $3, payee = $4, description = $5, "
      "updated_at = $6, version = version + 1 WHERE id = $7",
      {e.line_id, e.spent_on, e.amount, e.payee, e.description, now_millis(), id});
  Expenditure after = load_exp(c, s, id);
  audit::record(
      c, s,
      {{}, "expenditure.update", "expenditure", std::to_string(id), exp_audit(before), exp_audit(after)});
  return after;
}

void remove_expenditure(db::Connection& c, const OrgScope& s, std::int64_t id,
                        std::int64_t expected_version) {
  const Expenditure before = changeable(c, s, id, expected_version);
  c.exec("UPDATE expenditures SET deleted_at = $1, updated_at = $1, version = version + 1 WHERE id = $2",
         {now_millis(), id});
  audit::record(c, s, {{}, "expenditure.delete", "expenditure", std::to_string(id), exp_audit(before), {}});
}

Expenditure set_receipt(db::Database& db, const OrgScope& s, const AttachmentStore& store, std::int64_t id,
                        std::int64_t expected_version, std::string_view name, std::string_view content_type,
                        std::string_view bytes) {
  s.require(Permission::edit_programs);
  form_media::check_name(name);
  if (bytes.empty()) throw invalid_field("file", "is empty");
  if (bytes.size() > kMaxReceiptBytes)
    throw Error(ErrorCode::payload_too_large,
                "a receipt may have at most " + std::to_string(kMaxReceiptBytes >> 20) + " MiB");
  // Checked before the file is written, so a stale or forbidden upload leaves nothing behind.
  db.read([&](db::Connection& c) { changeable(c, s, id, expected_version); });
  const Receipt r{store.put(bytes), std::string(name), receipt_type(name, content_type),
                  static_cast<std::int64_t>(bytes.size())};
  return db.write_value([&](db::Connection& c) {
    const Expenditure before = changeable(c, s, id, expected_version);
    c.exec(
        "UPDATE expenditures SET receipt_sha256 = $1, receipt_name = $2, receipt_type = $3, receipt_size = "
        "$4, "
        "updated_at = $5, version = version + 1 WHERE id = $6",
        {r.sha256, r.name, r.content_type, r.size, now_millis(), id});
    Expenditure after = load_exp(c, s, id);
    audit::record(
        c, s,
        {{}, "expenditure.receipt", "expenditure", std::to_string(id), exp_audit(before), exp_audit(after)});
    return after;
  });
}

Expenditure remove_receipt(db::Connection& c, const OrgScope& s, std::int64_t id,
                           std::int64_t expected_version) {
  const Expenditure before = changeable(c, s, id, expected_version);
  if (!before.receipt)
    throw Error(ErrorCode::not_found, "expenditure " + std::to_string(id) + " has no receipt");
  // The bytes stay in the store: the same file may be another expenditure's receipt.
  c.exec(
      "UPDATE expenditures SET receipt_sha256 = NULL, receipt_name = NULL, receipt_type = NULL, receipt_size "
      "= "
      "NULL, updated_at = $1, version = version + 1 WHERE id = $2",
      {now_millis(), id});
  Expenditure after = load_exp(c, s, id);
  audit::record(c, s,
                {{},
                 "expenditure.receipt_remove",
                 "expenditure",
                 std::to_string(id),
                 exp_audit(before),
                 exp_audit(after)});
  return after;
}

Receipt receipt(db::Connection& c, const OrgScope& s, std::int64_t id) {
  const Expenditure e = load_exp(c, s, id);
  if (!e.receipt) throw Error(ErrorCode::not_found, "expenditure " + std::to_string(id) + " has no receipt");
  return *e.receipt;
}

bj::object to_json(const Expenditure& e) {
  bj::value receipt;
  if (e.receipt)
    receipt = bj::object{{"name", e.receipt->name},
                         {"content_type", e.receipt->content_type},
                         {"size", e.receipt->size},
                         {"sha256", e.receipt->sha256}};
  return bj::object{{"id", std::to_string(e.id)},
                    {"program_id", std::to_string(e.program_id)},
                    {"line_id", std::to_string(e.line_id)},
                    {"line_name", e.line_name},
                    {"spent_on", e.spent_on},
                    {"amount", e.amount},
                    {"currency", e.currency},
                    {"payee", e.payee},
                    {"description", e.description},
                    {"receipt", std::move(receipt)},
                    {"deleted_at", af::time_json(e.deleted_at)},
                    {"created_at", format_iso8601(e.created_at)},
                    {"updated_at", format_iso8601(e.updated_at)},
                    {"version", e.version}};
}

// -- the report ---------------------------------------------------------------------------
bj::object to_json(const Report& r, const std::string& currency) {
  bj::array lines, categories, sources, periods;
  for (const auto& l : r.lines) {
    bj::object o = figures_json(l.figures);
    o["line_id"] = std::to_string(l.source->line_id);
    o["code"] = l.source->code;
    o["name"] = l.source->name;
    o["category"] = l.source->category;
    o["funding_source"] = l.source->funding_source;
    o["activity_id"] = af::id_json(l.source->activity_id);
    o["output_unit"] = l.source->output_unit;
    o["output_planned"] = int_json(l.source->output_planned);
    o["output_actual"] = int_json(l.source->output_actual);
    o["planned_cost_per_unit"] = int_json(l.planned_cost_per_unit);
    o["actual_cost_per_unit"] = int_json(l.actual_cost_per_unit);
    lines.push_back(std::move(o));
  }
  for (const auto& [k, f] : r.categories) {
    bj::object o = figures_json(f);
    o["category"] = k;
    o["category_name"] = category_name(k);
    categories.push_back(std::move(o));
  }
  for (const auto& [k, f] : r.funding_sources) {
    bj::object o = figures_json(f);
    o["funding_source"] = k;
    sources.push_back(std::move(o));
  }
  for (const auto& p : r.periods)
    periods.push_back(bj::object{{"period", p.period},
                                 {"planned", p.planned},
                                 {"actual", p.actual},
                                 {"cumulative_planned", p.cumulative_planned},
                                 {"cumulative_actual", p.cumulative_actual}});
  return bj::object{{"as_of", r.as_of},
                    {"currency", currency},
                    {"total", figures_json(r.total)},
                    {"lines", std::move(lines)},
                    {"categories", std::move(categories)},
                    {"funding_sources", std::move(sources)},
                    {"periods", std::move(periods)},
                    {"unique_people_reached", r.unique_people_reached},
                    {"cost_per_person_reached", int_json(r.cost_per_person_reached)}};
}

bj::object report(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::string as_of) {
  const programs::Program p = programs::require_visible(c, s, program_id);
  if (as_of.empty()) as_of = format_iso8601(now_millis()).substr(0, 10);
  if (!programs::valid_date(as_of)) throw invalid_field("as_of", "must be a date YYYY-MM-DD");
  std::vector<LineFigures> figures_of;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r :
       c.query("SELECT id, code, name, category, funding_source, activity_id, output_unit, "
               "output_planned, output_actual FROM budget_lines WHERE program_id = $1 AND org_id = $2 "
               "ORDER BY code, name, id",
               {program_id, s.org_id()})) {
    LineFigures l;
    l.line_id = r.int_at(0);
    l.code = r.text_at(1);
    l.name = r.text_at(2);
    l.category = r.text_at(3);
    l.funding_source = r.text_at(4);
    l.activity_id = r.opt_int(5);
    l.output_unit = r.text_at(6);
    l.output_planned = r.opt_int(7);
    l.output_actual = r.opt_int(8);
    at[l.line_id] = figures_of.size();
    figures_of.push_back(std::move(l));
  }
  for (const auto& r :
       c.query("SELECT b.line_id, b.period, b.amount FROM budget_amounts b JOIN budget_lines l ON l.id = "
               "b.line_id WHERE l.program_id = $1",
               {program_id}))
    figures_of[at.at(r.int_at(0))].planned[r.text_at(1)] += r.int_at(2);
  for (const auto& r :
       c.query("SELECT line_id, substr(spent_on, 1, 7), SUM(amount) FROM expenditures WHERE program_id "
               "= $1 AND deleted_at IS NULL AND spent_on <= $2 GROUP BY line_id, substr(spent_on, 1, 7)",
               {program_id, as_of}))
    figures_of[at.at(r.int_at(0))].actual[r.text_at(1)] += r.int_at(2);

  attendance::ReachFilter reach;
  reach.program_id = program_id;
  reach.as_of = as_of;
  const auto people = attendance::compute_reach(c, s.org_id(), reach).unique_people.total;
  Report rep = compute_report(figures_of, as_of, people);
  bj::object out = to_json(rep, p.currency);
  out["program_id"] = std::to_string(program_id);

  // Activities with lines of their own: their spending against the people their events reached.
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> by_activity;  // planned, actual
  for (const auto& l : rep.lines)
    if (l.source->activity_id) {
      by_activity[*l.source->activity_id].first += l.figures.planned;
      by_activity[*l.source->activity_id].second += l.figures.actual;
    }
  bj::array acts;
  for (const auto& [activity_id, pa] : by_activity) {
    reach.activity_id = activity_id;
    const auto reached = attendance::compute_reach(c, s.org_id(), reach).unique_people.total;
    auto title = c.query_one("SELECT title FROM activities WHERE id = $1", {activity_id});
    acts.push_back(bj::object{{"activity_id", std::to_string(activity_id)},
                              {"title", title ? title->text_at(0) : std::string()},
                              {"planned", pa.first},
                              {"actual", pa.second},
                              {"unique_people_reached", reached},
                              {"cost_per_person_reached", int_json(per_unit(pa.second, reached))}});
  }
  out["activities"] = std::move(acts);
  return out;
}

}  // namespace gotong::domain::budget
