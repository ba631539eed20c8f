// Values entered by hand and their approval workflow.
#include "domain/indicators_entries.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "analytics/periods.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::indicators {

namespace bj = boost::json;

namespace {

constexpr const char* kColumns =
    "e.id, e.indicator_id, e.period, e.cell, e.value, e.narrative, e.note, e.state, e.return_reason, "
    "e.entered_by, "
    "ue.name, e.submitted_by, us.name, e.reviewed_by, ur.name, e.submitted_at, e.reviewed_at, e.created_at, "
    "e.updated_at, e.version";
constexpr const char* kJoins =
    "LEFT JOIN users ue ON ue.id = e.entered_by LEFT JOIN users us ON us.id = e.submitted_by "
    "LEFT JOIN users ur ON ur.id = e.reviewed_by";

Entry from_row(const db::Row& r) {
  Entry e;
  e.id = r.int_at(0);
  e.indicator_id = r.int_at(1);
  e.period = r.text_at(2);
  e.cell = json::parse(r.text_at(3)).as_object();
  if (!r.null_at(4)) e.value = r.double_at(4);
  e.narrative = r.text_at(5);
  e.note = r.text_at(6);
  e.state = r.text_at(7);
  e.return_reason = r.text_at(8);
  e.entered_by = r.opt_int(9);
  e.entered_by_name = r.text_at(10);
  e.submitted_by = r.opt_int(11);
  e.submitted_by_name = r.text_at(12);
  e.reviewed_by = r.opt_int(13);
  e.reviewed_by_name = r.text_at(14);
  e.submitted_at = r.opt_int(15);
  e.reviewed_at = r.opt_int(16);
  e.created_at = r.int_at(17);
  e.updated_at = r.int_at(18);
  e.version = r.int_at(19);
  return e;
}

db::Value user_or_null(const OrgScope& s) {
  return s.actor().user_id ? db::Value(s.actor().user_id) : db::Value();
}

// The entry with its indicator, both visible to the scope.
struct Loaded {
  Entry entry;
  Indicator indicator;
};

Loaded load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM indicator_entries e " + kJoins +
                             " WHERE e.id = $1 AND e.org_id = $2 AND e.deleted_at IS NULL",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no indicator value " + std::to_string(id));
  Entry e = from_row(*row);
  Indicator ind = get(c, s, e.indicator_id);  // 404 when its program is not visible
  return {std::move(e), std::move(ind)};
}

void check_version(const Entry& e, std::int64_t expected) {
  if (e.version != expected)
    throw Error(ErrorCode::precondition_failed, "the value was changed by someone else; reload it");
}

void require_state(const Entry& e, std::initializer_list<const char*> allowed, const std::string& action) {
  for (const char* a : allowed)
    if (e.state == a) return;
  throw Error(ErrorCode::conflict, "a value that is " + e.state + " cannot be " + action);
}

void check_period(const Indicator& ind, const programs::Program& p, const std::string& period) {
  const auto f = *analytics::parse_frequency(ind.frequency);
  if (!analytics::valid_period(period, f))
    throw invalid_field(
        "period", f == analytics::Frequency::life_of_program
                      ? std::string("must be LOP: the indicator is reported for the life of the program")
                      : "must be a " + ind.frequency.substr(0, ind.frequency.size() - 2) +
                            " period of the indicator (" + ind.frequency + ")");
  if (auto bounds = analytics::period_bounds(period);
      bounds && (bounds->second < p.start_date || bounds->first > p.end_date))
    throw invalid_field("period", "is outside the program (" + p.start_date + " to " + p.end_date + ")");
}

void check_unique(db::Connection& c, std::int64_t indicator_id, const std::string& period,
                  const std::string& cell, std::int64_t except) {
  if (c.query_int(
          "SELECT id FROM indicator_entries WHERE indicator_id = $1 AND period = $2 AND cell = $3 AND "
          "deleted_at IS NULL AND id <> $4",
          {indicator_id, period, cell, except}))
    throw Error(ErrorCode::conflict, "this period and cell have a value already; edit that one",
                {{"period", "has a value for this cell already"}});
}

Entry reload(db::Connection& c, const OrgScope& s, std::int64_t id) { return load(c, s, id).entry; }

Entry transition(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                 std::initializer_list<const char*> from, const std::string& to, const std::string& verb,
                 const std::string& sql, db::Params params) {
  Loaded l = load(c, s, id);
  check_version(l.entry, expected_version);
  require_state(l.entry, from, verb);
  params.push_back(now_millis());
  const std::string at = "$" + std::to_string(params.size());
  params.push_back(id);
  const std::string which = "$" + std::to_string(params.size());
  c.exec(sql + ", state = '" + to + "', updated_at = " + at + ", version = version + 1 WHERE id = " + which,
         params);
  Entry after = reload(c, s, id);
  audit::record(c, s,
                {{},
                 "indicator_entry." + verb,
                 "indicator_entry",
                 std::to_string(id),
                 to_json(l.entry),
                 to_json(after)});
  return after;
}

}  // namespace

EntryInput parse_entry_input(const bj::object& body) {
  EntryInput in;
  in.period = json::optional_string(body, "period", 20);
  if (auto it = body.find("cell"); it != body.end()) {
    if (it->value().is_null())
      in.cell = bj::object();
    else if (!it->value().is_object())
      throw invalid_field("cell", "must be an object {dimension: value}");
    else
      in.cell = it->value().get_object();
  }
  if (auto it = body.find("value"); it != body.end()) {
    const bj::value& v = it->value();
    if (v.is_null()) {
      in.value = std::optional<double>();
    } else {
      double d = 0;
      if (v.is_int64())
        d = static_cast<double>(v.get_int64());
      else if (v.is_uint64())
        d = static_cast<double>(v.get_uint64());
      else if (v.is_double())
        d = v.get_double();
      else
        throw invalid_field("value", "must be a number");
      if (!std::isfinite(d) || std::fabs(d) > 1e15) throw invalid_field("value", "must be a finite number");
      in.value = std::optional<double>(d);
    }
  }
  in.narrative = fields::text(body, "narrative", 5000);
  in.note = fields::text(body, "note", 5000);
  return in;
}

std::vector<Entry> entries(db::Connection& c, const OrgScope& s, std::int64_t indicator_id,
                           const std::optional<std::string>& state,
                           const std::optional<std::string>& period) {
  get(c, s, indicator_id);
  std::string sql = std::string("SELECT ") + kColumns + " FROM indicator_entries e " + kJoins +
                    " WHERE e.indicator_id = $1 AND e.org_id = $2 AND e.deleted_at IS NULL";
  db::Params params{indicator_id, s.org_id()};
  if (state) {
    if (*state != "draft" && *state != "submitted" && *state != "approved" && *state != "returned")
      throw invalid_field("state", "must be draft, submitted, approved or returned");
    params.push_back(*state);
    sql += " AND e.state = $" + std::to_string(params.size());
  }
  if (period) {
    params.push_back(*period);
    sql += " AND e.period = $" + std::to_string(params.size());
  }
  std::vector<Entry> out;
  for (const auto& r : c.query(sql + " ORDER BY e.period, e.cell, e.id", params)) out.push_back(from_row(r));
  return out;
}

Entry get_entry(db::Connection& c, const OrgScope& s, std::int64_t id) { return load(c, s, id).entry; }

Entry create_entry(db::Connection& c, const OrgScope& s, std::int64_t indicator_id, const EntryInput& in) {
  s.require(Permission::collect_data);
  const Indicator ind = get(c, s, indicator_id);
  if (ind.source != "manual")
    throw Error(ErrorCode::conflict, "indicator " + std::to_string(indicator_id) + " is computed from " +
                                         ind.source + "; only indicators entered by hand take values");
  const programs::Program p = programs::require_visible(c, s, ind.program_id);
  if (!in.period) throw invalid_field("period", "is required");
  check_period(ind, p, *in.period);
  const std::string cell = detail::canonical_cell(ind, in.cell.value_or(bj::object()), "");
  const std::optional<double> value = in.value.value_or(std::nullopt);
  const std::string narrative = in.narrative.value_or("");
  detail::check_value(ind, value, narrative, "");
  check_unique(c, indicator_id, *in.period, cell, 0);
  const std::int64_t now = now_millis();
  auto id = c.query_int(
      "INSERT INTO indicator_entries(org_id, indicator_id, period, cell, value, narrative, note, state, "
      "entered_by, "
      "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,'draft',$8,$9,$9) RETURNING id",
      {s.org_id(), indicator_id, *in.period, cell, value, narrative, in.note.value_or(""), user_or_null(s),
       now});
  Entry e = reload(c, s, *id);
  audit::record(c, s, {{}, "indicator_entry.create", "indicator_entry", std::to_string(*id), {}, to_json(e)});
  return e;
}

Entry update_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const EntryInput& in) {
  s.require(Permission::collect_data);
  Loaded l = load(c, s, id);
  check_version(l.entry, expected_version);
  require_state(l.entry, {"draft", "returned"}, "changed (ask an approver to return it first)");
  const Indicator& ind = l.indicator;
  const programs::Program p = programs::require_visible(c, s, ind.program_id);
  const std::string period = in.period.value_or(l.entry.period);
  check_period(ind, p, period);
  const std::string cell = detail::canonical_cell(ind, in.cell.value_or(l.entry.cell), "");
  const std::optional<double> value = in.value ? *in.value : l.entry.value;
  const std::string narrative = in.narrative.value_or(l.entry.narrative);
  detail::check_value(ind, value, narrative, "");
  check_unique(c, ind.id, period, cell, id);
  c.exec(
      "UPDATE indicator_entries SET period = $1, cell = $2, value = $3, narrative = $4, note = $5, "
      "state = 'draft', updated_at = $6, version = version + 1 WHERE id = $7",
      {period, cell, value, narrative, in.note.value_or(l.entry.note), now_millis(), id});
  Entry after = reload(c, s, id);
  audit::record(c, s,
                {{},
                 "indicator_entry.update",
                 "indicator_entry",
                 std::to_string(id),
                 to_json(l.entry),
                 to_json(after)});
  return after;
}

Entry submit_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::collect_data);
  return transition(c, s, id, expected_version, {"draft", "returned"}, "submitted", "submit",
                    "UPDATE indicator_entries SET submitted_by = $1, submitted_at = $2",
                    {user_or_null(s), now_millis()});
}

Entry approve_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::approve_values);
  return transition(c, s, id, expected_version, {"submitted"}, "approved", "approve",
                    "UPDATE indicator_entries SET reviewed_by = $1, reviewed_at = $2, return_reason = ''",
                    {user_or_null(s), now_millis()});
}

Entry return_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const std::string& reason) {
  s.require(Permission::approve_values);
  const std::string why = text::trim(reason);
  if (why.empty()) throw invalid_field("reason", "is required: say what to correct");
  if (why.size() > 2000) throw invalid_field("reason", "must have at most 2000 bytes");
  return transition(c, s, id, expected_version, {"submitted", "approved"}, "returned", "return",
                    "UPDATE indicator_entries SET reviewed_by = $1, reviewed_at = $2, return_reason = $3",
                    {user_or_null(s), now_millis(), why});
}

void remove_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::collect_data);
  Loaded l = load(c, s, id);
  check_version(l.entry, expected_version);
  require_state(l.entry, {"draft", "returned"}, "deleted (ask an approver to return it first)");
  c.exec("UPDATE indicator_entries SET deleted_at = $1, version = version + 1 WHERE id = $2",
         {now_millis(), id});
  audit::record(c, s,
                {{}, "indicator_entry.delete", "indicator_entry", std::to_string(id), to_json(l.entry), {}});
}

bj::object to_json(const Entry& e) {
  auto user = [](const std::optional<std::int64_t>& id, const std::string& name) -> bj::value {
    if (!id) return nullptr;
    return bj::object{{"id", std::to_string(*id)}, {"name", name}};
  };
  auto time = [](const std::optional<std::int64_t>& t) {
    return t ? bj::value(format_iso8601(*t)) : bj::value();
  };
  return bj::object{{"id", std::to_string(e.id)},
                    {"indicator_id", std::to_string(e.indicator_id)},
                    {"period", e.period},
                    {"cell", e.cell},
                    {"value", detail::number(e.value)},
                    {"narrative", e.narrative},
                    {"note", e.note},
                    {"state", e.state},
                    {"return_reason", e.return_reason},
                    {"entered_by", user(e.entered_by, e.entered_by_name)},
                    {"submitted_by", user(e.submitted_by, e.submitted_by_name)},
                    {"submitted_at", time(e.submitted_at)},
                    {"reviewed_by", user(e.reviewed_by, e.reviewed_by_name)},
                    {"reviewed_at", time(e.reviewed_at)},
                    {"created_at", format_iso8601(e.created_at)},
                    {"updated_at", format_iso8601(e.updated_at)},
                    {"version", e.version}};
}

}  // namespace gotong::domain::indicators
