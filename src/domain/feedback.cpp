#include "domain/feedback.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <map>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::feedback {

namespace bj = boost::json;
namespace af = activity_fields;

bool handles_feedback(const OrgScope& s) { return s.can(Permission::edit_programs); }

// -- pure rules ---------------------------------------------------------------------------
bool allowed_transition(std::string_view from, std::string_view to) {
  if (from == "received") return to == "in_progress" || to == "resolved";
  if (from == "in_progress") return to == "resolved";
  if (from == "resolved") return to == "in_progress";
  return false;
}

std::optional<double> quantile(std::vector<double>& values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::string make_reference(std::uint64_t random) {
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols
  std::string out = "FB-";
  for (int i = 0; i < 8; ++i) {
    out.push_back(kAlphabet[random % 31]);
    random /= 31;
  }
  return out;
}

namespace {

template <std::size_t N>
bool known(std::string_view v, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* k) { return v == k; });
}

constexpr const char* kColumns =
    "f.id, f.program_id, pr.name, f.reference, f.channel, f.category, f.message, f.anonymous, f.sender_name, "
    "f.sender_contact, f.area_id, f.status, f.response, f.received_at, f.first_response_at, f.resolved_at, "
    "f.reopened, f.received_by, u.name, f.created_at, f.updated_at, f.version";
constexpr const char* kFrom =
    " FROM feedback f LEFT JOIN programs pr ON pr.id = f.program_id LEFT JOIN users u ON u.id = "
    "f.received_by";

Feedback from_row(db::Connection& c, const db::Row& r) {
  Feedback f;
  f.id = r.int_at(0);
  f.program_id = r.opt_int(1);
  f.program_name = r.text_at(2);
  f.reference = r.text_at(3);
  f.channel = r.text_at(4);
  f.category = r.text_at(5);
  f.message = r.text_at(6);
  f.anonymous = r.int_at(7) != 0;
  f.sender_name = r.text_at(8);
  f.sender_contact = r.text_at(9);
  f.area = af::area_ref(c, r.opt_int(10));
  f.status = r.text_at(11);
  f.response = r.text_at(12);
  f.received_at = r.int_at(13);
  f.first_response_at = r.opt_int(14);
  f.resolved_at = r.opt_int(15);
  f.reopened = r.int_at(16);
  f.received_by = r.opt_int(17);
  f.received_by_name = r.text_at(18);
  f.created_at = r.int_at(19);
  f.updated_at = r.int_at(20);
  f.version = r.int_at(21);
  return f;
}

std::string visible(const OrgScope& s, db::Params& params) {
  params.push_back(s.org_id());
  std::string sql = "f.org_id = $" + std::to_string(params.size());
  if (!programs::sees_all_programs(s))
    sql += " AND f.program_id IS NOT NULL AND " + programs::visible_condition(s, "f.program_id", params);
  if (!handles_feedback(s)) sql += " AND f.category <> 'sensitive'";
  return sql;
}

Feedback load_raw(db::Connection& c, std::int64_t org_id, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE f.id = $1 AND f.org_id = $2",
                         {id, org_id});
  if (!row) throw Error(ErrorCode::not_found, "no feedback " + std::to_string(id));
  return from_row(c, *row);
}

Feedback load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = visible(s, params);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE f.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no feedback " + std::to_string(id));
  return from_row(c, *row);
}

std::string unique_reference(db::Connection& c, std::int64_t org_id) {
  for (;;) {
    const std::string hex = crypto::random_hex(8);
    std::uint64_t n = 0;
    std::from_chars(hex.data(), hex.data() + hex.size(), n, 16);
    std::string ref = make_reference(n);
    if (!c.query_int("SELECT 1 FROM feedback WHERE org_id = $1 AND reference = $2", {org_id, ref}))
      return ref;
  }
}

void check_program(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  try {
    programs::require_visible(c, s, program_id);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::not_found) throw;
    throw invalid_field("program_id", "is not a program of this organisation");
  }
}

void check_sender(bool anonymous, const std::string& name, const std::string& contact) {
  if (!anonymous) return;
  // An anonymous sender's name or number must not be kept anywhere, not even by mistake.
  if (!name.empty()) throw invalid_field("sender_name", "must be empty for anonymous feedback");
  if (!contact.empty()) throw invalid_field("sender_contact", "must be empty for anonymous feedback");
}

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.program_id = fields::nullable_id(body, "program_id");
  in.area_id = fields::nullable_id(body, "area_id");
  in.channel = json::optional_string(body, "channel", 20);
  if (in.channel && (!known(*in.channel, kChannels) || *in.channel == "public_link"))
    throw invalid_field("channel", "must be in_person, phone, sms_whatsapp, letter or box");
  in.category = json::optional_string(body, "category", 20);
  if (in.category && !known(*in.category, kCategories))
    throw invalid_field("category", "must be question, suggestion, complaint or sensitive");
  in.message = fields::text(body, "message", 5000);
  if (in.message && in.message->empty()) throw invalid_field("message", "must not be empty");
  in.sender_name = fields::text(body, "sender_name", 200);
  in.sender_contact = fields::text(body, "sender_contact", 200);
  in.status = json::optional_string(body, "status", 20);
  if (in.status && !known(*in.status, kStatuses))
    throw invalid_field("status", "must be received, in_progress or resolved");
  in.response = fields::text(body, "response", 5000);
  in.anonymous = json::optional_bool(body, "anonymous");
  if (auto at = json::optional_string(body, "received_at", 40)) {
    auto t = parse_iso8601(*at);
    if (!t) throw invalid_field("received_at", "must be an ISO-8601 time");
    if (*t > now_millis() + 5 * 60 * 1000) throw invalid_field("received_at", "must not be in the future");
    if (*t < 946684800000LL) throw invalid_field("received_at", "must not be before 2000");
    in.received_at = *t;
  }
  return in;
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.program_id) {
    programs::require_visible(c, s, *f.program_id);
    where += " AND f.program_id = " + n(*f.program_id);
  }
  if (f.status) {
    if (!known(*f.status, kStatuses))
      throw invalid_field("status", "must be received, in_progress or resolved");
    where += " AND f.status = " + n(*f.status);
  }
  if (f.category) {
    if (!known(*f.category, kCategories))
      throw invalid_field("category", "must be question, suggestion, complaint or sensitive");
    where += " AND f.category = " + n(*f.category);
  }
  if (f.channel) {
    if (!known(*f.channel, kChannels))
      throw invalid_field("channel", "must be in_person, phone, sms_whatsapp, letter, box or public_link");
    where += " AND f.channel = " + n(*f.channel);
  }
  if (f.reference) {
    // Read out over the phone and typed in by hand: case and surrounding spaces do not matter.
    std::string ref = text::trim(*f.reference);
    for (char& ch : ref)
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    where += " AND f.reference = " + n(ref);
  }
  if (f.from) where += " AND f.received_at >= " + n(*f.from);
  if (f.to) where += " AND f.received_at < " + n(*f.to);
  return fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY f.received_at DESC, f.id DESC",
      params, limit, offset, [&](const db::Row& r) { return from_row(c, r); });
}

Feedback get(db::Connection& c, const OrgScope& s, std::int64_t id) { return load(c, s, id); }

bool visible_to(const OrgScope& s, const Feedback& f) {
  if (f.category == "sensitive" && !handles_feedback(s)) return false;
  // Partners: only about programs shared with them (create() checked the program's visibility).
  return programs::sees_all_programs(s) || f.program_id.has_value();
}

Feedback create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::collect_data);
  if (!in.channel) throw invalid_field("channel", "is required");
  if (!in.category) throw invalid_field("category", "is required");
  if (!in.message) throw invalid_field("message", "is required");
  const bool anonymous = in.anonymous.value_or(false);
  const std::string name = in.sender_name.value_or(""), contact = in.sender_contact.value_or("");
  check_sender(anonymous, name, contact);
  std::optional<std::int64_t> program = in.program_id ? *in.program_id : std::nullopt;
  if (program) check_program(c, s, *program);
  // Partners record feedback about their programs: other feedback would vanish from their sight.
  if (!program && !programs::sees_all_programs(s)) throw invalid_field("program_id", "is required");
  std::optional<std::int64_t> area = in.area_id ? *in.area_id : std::nullopt;
  if (area) af::require_area(c, s, *area, "area_id");
  const auto now = now_millis();
  const std::int64_t received_at = in.received_at.value_or(now);
  // Feedback answered on the spot may be entered as such by those who handle feedback.
  const std::string status = in.status.value_or("received");
  const std::string response = in.response.value_or("");
  if ((status != "received" || !response.empty()) && !handles_feedback(s))
    throw Error(ErrorCode::forbidden,
                "only admins and coordinators answer feedback; leave status and response out");
  if (status == "resolved" && response.empty())
    throw invalid_field("response", "is required to resolve feedback");
  std::optional<std::int64_t> first_response, resolved;
  if (status != "received" || !response.empty()) first_response = now;
  if (status == "resolved") resolved = now;
  auto row = c.query_one(
      "INSERT INTO feedback(org_id, program_id, reference, channel, category, message, anonymous, "
      "sender_name, "
      "sender_contact, area_id, status, response, received_at, first_response_at, resolved_at, received_by, "
      "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17) "
      "RETURNING id",
      {s.org_id(), program, unique_reference(c, s.org_id()), *in.channel, *in.category, *in.message,
       anonymous, name, contact, area, status, response, received_at, first_response, resolved,
       af::user_or_null(s), now});
  Feedback f = load_raw(c, s.org_id(), row->int_at(0));
  audit::record(c, s, {{}, "feedback.create", "feedback", std::to_string(f.id), {}, to_json(f)});
  return f;
}

Feedback update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                const Input& in) {
  s.require(Permission::edit_programs);
  const Feedback before = load(c, s, id);
  af::check_version(before.version, expected_version, "feedback");
  if (in.message) throw invalid_field("message", "is the sender's own words and stays as received");
  if (in.channel) throw invalid_field("channel", "stays as received");
  if (in.anonymous || in.sender_name || in.sender_contact || in.received_at)
    throw invalid_field(in.anonymous        ? "anonymous"
                        : in.sender_name    ? "sender_name"
                        : in.sender_contact ? "sender_contact"
                                            : "received_at",
                        "stays as received");
  Feedback f = before;
  if (in.category) f.category = *in.category;
  if (in.program_id) {
    f.program_id = *in.program_id;
    if (f.program_id) check_program(c, s, *f.program_id);
  }
  std::optional<std::int64_t> area = f.area ? std::optional(f.area->id) : std::nullopt;
  if (in.area_id) {
    area = *in.area_id;
    if (area) af::require_area(c, s, *area, "area_id");
  }
  const auto now = now_millis();
  if (in.response) f.response = *in.response;
  if (in.status && *in.status != before.status) {
    if (!allowed_transition(before.status, *in.status))
      throw invalid_field("status",
                          "cannot go from " + before.status + " to " + *in.status +
                              " (received → in_progress → resolved; a resolved one reopens to in_progress)");
    f.status = *in.status;
    if (before.status == "resolved") {
      f.resolved_at.reset();
      ++f.reopened;
    }
    if (f.status == "resolved") f.resolved_at = now;
  }
  if (f.status == "resolved" && f.response.empty())
    throw invalid_field("response", "is required to resolve feedback");
  if (!f.first_response_at && (f.status != "received" || !f.response.empty())) f.first_response_at = now;
  c.exec(
      "UPDATE feedback SET program_id = $1, category = $2, area_id = $3, status = $4, response = $5, "
      "first_response_at = $6, resolved_at = $7, reopened = $8, updated_at = $9, version = version + 1 WHERE "
      "id = $10",
      {f.program_id, f.category, area, f.status, f.response, f.first_response_at, f.resolved_at, f.reopened,
       now, id});
  Feedback after = load_raw(c, s.org_id(), id);
  audit::record(c, s,
                {{}, "feedback.update", "feedback", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

bj::object to_json(const Feedback& f) {
  return bj::object{{"id", std::to_string(f.id)},
                    {"reference", f.reference},
                    {"program_id", af::id_json(f.program_id)},
                    {"program_name", f.program_id ? bj::value(f.program_name) : bj::value()},
                    {"channel", f.channel},
                    {"category", f.category},
                    {"message", f.message},
                    {"anonymous", f.anonymous},
                    {"sender_name", f.sender_name},
                    {"sender_contact", f.sender_contact},
                    {"area", af::to_json(f.area)},
                    {"status", f.status},
                    {"response", f.response},
                    {"received_at", format_iso8601(f.received_at)},
                    {"first_response_at", af::time_json(f.first_response_at)},
                    {"resolved_at", af::time_json(f.resolved_at)},
                    {"reopened", f.reopened},
                    {"received_by", af::id_json(f.received_by)},
                    {"received_by_name", f.received_by ? bj::value(f.received_by_name) : bj::value()},
                    {"created_at", format_iso8601(f.created_at)},
                    {"updated_at", format_iso8601(f.updated_at)},
                    {"version", f.version}};
}

bj::object receipt_json(const Feedback& f) {
  return bj::object{{"id", std::to_string(f.id)}, {"reference", f.reference}, {"status", f.status}};
}

Figures figures(db::Connection& c, const OrgScope& s, const Filter& f) {
  s.require(Permission::read);
  db::Params params;
  std::string where = " WHERE " + visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.program_id) {
    programs::require_visible(c, s, *f.program_id);
    where += " AND f.program_id = " + n(*f.program_id);
  }
  if (f.channel) where += " AND f.channel = " + n(*f.channel);
  if (f.from) where += " AND f.received_at >= " + n(*f.from);
  if (f.to) where += " AND f.received_at < " + n(*f.to);
  Figures out;
  std::map<std::string, std::int64_t> statuses, categories, channels;
  for (const char* k : kStatuses) statuses[k] = 0;
  for (const char* k : kCategories)
    if (handles_feedback(s) || std::string_view(k) != "sensitive") categories[k] = 0;
  for (const char* k : kChannels) channels[k] = 0;
  std::vector<double> first, resolution;
  c.each(
      "SELECT f.status, f.category, f.channel, f.received_at, f.first_response_at, f.resolved_at FROM "
      "feedback f" +
          where,
      params, [&](const db::Row& r) {
        ++out.total;
        ++statuses[r.text_at(0)];
        ++categories[r.text_at(1)];
        ++channels[r.text_at(2)];
        const auto received = r.int_at(3);
        // A time entered for a letter may fall after the answer was typed in: no negative days.
        if (!r.null_at(4))
          first.push_back(static_cast<double>(std::max<std::int64_t>(0, r.int_at(4) - received)) / kDayMs);
        if (!r.null_at(5))
          resolution.push_back(static_cast<double>(std::max<std::int64_t>(0, r.int_at(5) - received)) /
                               kDayMs);
        return true;
      });
  for (const char* k : kStatuses) out.by_status.emplace_back(k, statuses[k]);
  for (const char* k : kCategories)
    if (categories.count(k)) out.by_category.emplace_back(k, categories[k]);
  for (const char* k : kChannels) out.by_channel.emplace_back(k, channels[k]);
  out.to_first_response.count = static_cast<std::int64_t>(first.size());
  out.to_first_response.median = quantile(first, 0.5);
  out.to_first_response.p90 = quantile(first, 0.9);
  out.to_resolution.count = static_cast<std::int64_t>(resolution.size());
  out.to_resolution.median = quantile(resolution, 0.5);
  out.to_resolution.p90 = quantile(resolution, 0.9);
  return out;
}

bj::object to_json(const Figures& f) {
  auto counts = [](const std::vector<std::pair<std::string, std::int64_t>>& v) {
    bj::object o;
    for (const auto& [k, n] : v) o[k] = n;
    return o;
  };
  // Days with two decimals (about a quarter of an hour).
  auto days = [](std::optional<double> d) -> bj::value {
    if (!d) return nullptr;
    return std::round(*d * 100.0) / 100.0;
  };
  auto spread = [&](const Spread& s) {
    return bj::object{{"count", s.count}, {"median_days", days(s.median)}, {"p90_days", days(s.p90)}};
  };
  return bj::object{{"total", f.total},
                    {"by_status", counts(f.by_status)},
                    {"by_category", counts(f.by_category)},
                    {"by_channel", counts(f.by_channel)},
                    {"to_first_response", spread(f.to_first_response)},
                    {"to_resolution", spread(f.to_resolution)}};
}

// -- public links -------------------------------------------------------------------------
Link link(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  s.require(Permission::edit_programs);
  programs::require_visible(c, s, program_id);
  auto row = c.query_one(
      "SELECT token, created_at FROM feedback_links WHERE program_id = $1 AND org_id = $2 AND revoked_at IS "
      "NULL",
      {program_id, s.org_id()});
  if (!row)
    throw Error(ErrorCode::not_found, "program " + std::to_string(program_id) + " has no feedback link");
  return Link{program_id, row->text_at(0), row->int_at(1)};
}

Link create_link(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  s.require(Permission::edit_programs);
  programs::require_visible(c, s, program_id);
  const auto now = now_millis();
  const bool replaced =
      c.exec("UPDATE feedback_links SET revoked_at = $1 WHERE program_id = $2 AND revoked_at IS NULL",
             {now, program_id}) > 0;
  Link l{program_id, crypto::random_token(24), now};
  c.exec(
      "INSERT INTO feedback_links(org_id, program_id, token, created_by, created_at) VALUES ($1,$2,$3,$4,$5)",
      {s.org_id(), program_id, l.token, af::user_or_null(s), now});
  // The token itself stays out of the audit log: the log is read more widely than the link is given.
  audit::record(
      c, s,
      {{},
       "feedback_link.create",
       "program",
       std::to_string(program_id),
       {},
       bj::object{{"program_id", std::to_string(program_id)}, {"replaced_earlier_link", replaced}}});
  return l;
}

void revoke_link(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  s.require(Permission::edit_programs);
  programs::require_visible(c, s, program_id);
  if (c.exec("UPDATE feedback_links SET revoked_at = $1 WHERE program_id = $2 AND org_id = $3 AND revoked_at "
             "IS NULL",
             {now_millis(), program_id, s.org_id()}) == 0)
    throw Error(ErrorCode::not_found, "program " + std::to_string(program_id) + " has no feedback link");
  audit::record(c, s,
                {{},
                 "feedback_link.revoke",
                 "program",
                 std::to_string(program_id),
                 bj::object{{"program_id", std::to_string(program_id)}},
                 {}});
}

bj::object to_json(const Link& l, std::string_view org_slug) {
  return bj::object{{"program_id", std::to_string(l.program_id)},
                    {"token", l.token},
                    {"path", "/api/v1/public/" + std::string(org_slug) + "/feedback/" + l.token},
                    {"created_at", format_iso8601(l.created_at)}};
}

PublicInput parse_public_input(const bj::object& body) {
  PublicInput in;
  auto message = fields::text(body, "message", 5000, true);
  in.message = *message;
  if (auto cat = json::optional_string(body, "category", 20)) {
    if (!known(*cat, kCategories))
      throw invalid_field("category", "must be question, suggestion, complaint or sensitive");
    in.category = *cat;
  }
  in.anonymous = json::optional_bool(body, "anonymous").value_or(false);
  in.sender_name = fields::text(body, "sender_name", 200).value_or("");
  in.sender_contact = fields::text(body, "sender_contact", 200).value_or("");
  check_sender(in.anonymous, in.sender_name, in.sender_contact);
  return in;
}

std::string receive_public(db::Database& db, std::string_view org_slug, std::string_view token,
                           const PublicInput& in, const std::string& ip, const std::string& request_id,
                           const ThrottlePolicy& policy) {
  enum class Outcome { received, throttled, unknown };
  // The address is kept only as a digest, and only for the window.
  const std::string key = "fb:" + crypto::token_digest(ip);
  // The actor has no address either: an anonymous sender must stay anonymous in the audit log.
  const Actor actor{0, "public", "public feedback link", std::nullopt, request_id, ""};
  std::string reference;
  std::int64_t retry_ms = 0;
  const auto outcome = db.write_value([&](db::Connection& c) {
    const auto now = now_millis();
    c.exec("DELETE FROM feedback_throttle WHERE window_start <= $1", {now - policy.window_ms});
    auto seen = c.query_one("SELECT hits, window_start FROM feedback_throttle WHERE key = $1", {key});
    if (seen && seen->int_at(0) >= policy.posts) {
      retry_ms = seen->int_at(1) + policy.window_ms - now;
      return Outcome::throttled;
    }
    // Counted before the token is checked, so guessing tokens is throttled too; the job commits
    // either way, since it returns instead of throwing.
    c.exec(
        "INSERT INTO feedback_throttle(key, hits, window_start) VALUES ($1, 1, $2) "
        "ON CONFLICT (key) DO UPDATE SET hits = feedback_throttle.hits + 1",
        {key, now});
    auto link = c.query_one(
        "SELECT l.org_id, l.program_id FROM feedback_links l JOIN organisations o ON o.id = l.org_id JOIN "
        "programs p ON "
        "p.id = l.program_id WHERE o.slug = $1 AND l.token = $2 AND l.revoked_at IS NULL AND p.deleted_at IS "
        "NULL",
        {org_slug, token});
    if (!link) return Outcome::unknown;
    const std::int64_t org_id = link->int_at(0);
    reference = unique_reference(c, org_id);
    auto row = c.query_one(
        "INSERT INTO feedback(org_id, program_id, reference, channel, category, message, anonymous, "
        "sender_name, "
        "sender_contact, status, received_at, created_at, updated_at) "
        "VALUES ($1,$2,$3,'public_link',$4,$5,$6,$7,$8,'received',$9,$9,$9) RETURNING id",
        {org_id, link->int_at(1), reference, in.category, in.message, in.anonymous, in.sender_name,
         in.sender_contact, now});
    const Feedback f = load_raw(c, org_id, row->int_at(0));
    audit::record(c, actor,
                  {org_id, "feedback.receive_public", "feedback", std::to_string(f.id), {}, to_json(f)});
    return Outcome::received;
  });
  if (outcome == Outcome::throttled) {
    const int seconds = static_cast<int>(std::max<std::int64_t>(1, (retry_ms + 999) / 1000));
    throw Error(ErrorCode::too_many_requests,
                "too much feedback from this address; try again in " + std::to_string(seconds) + " seconds")
        .with_retry_after(seconds);
  }
  if (outcome == Outcome::unknown)
    throw Error(ErrorCode::not_found, "this feedback link is not valid (any more)");
  return reference;
}

}  // namespace gotong::domain::feedback
