#include "domain/report_narratives.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::report_narratives {

namespace bj = boost::json;

namespace {

const char* lang_code(reports::Lang l) { return l == reports::Lang::id ? "id" : "en"; }

bj::object sections_json(const reports::Narrative& n) {
  return bj::object{{"summary", n.summary},
                    {"achievements", n.achievements},
                    {"challenges", n.challenges},
                    {"lessons", n.lessons},
                    {"next_steps", n.next_steps}};
}

std::optional<Stored> load(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                           const reports::Period& p, reports::Lang lang) {
  auto r = c.query_one(
      "SELECT summary, achievements, challenges, lessons, next_steps, version, updated_at FROM "
      "report_narratives "
      "WHERE program_id = $1 AND period_from = $2 AND period_to = $3 AND lang = $4 AND org_id = $5",
      {program_id, p.from, p.to, std::string(lang_code(lang)), s.org_id()});
  if (!r) return std::nullopt;
  Stored st;
  st.narrative = {r->text_at(0), r->text_at(1), r->text_at(2), r->text_at(3), r->text_at(4)};
  st.version = r->int_at(5);
  st.updated_at = r->int_at(6);
  return st;
}

}  // namespace

Key make_key(std::int64_t program_id, const std::optional<std::string>& from,
             const std::optional<std::string>& to, const std::optional<std::string>& lang) {
  if (!from) throw invalid_field("from", "is required: the first day of the reporting period (YYYY-MM-DD)");
  if (!to) throw invalid_field("to", "is required: the last day of the reporting period (YYYY-MM-DD)");
  if (!programs::valid_date(*from)) throw invalid_field("from", "must be a date YYYY-MM-DD");
  if (!programs::valid_date(*to)) throw invalid_field("to", "must be a date YYYY-MM-DD");
  if (*to < *from) throw invalid_field("to", "must not be before from");
  Key k;
  k.program_id = program_id;
  k.period = {*from, *to};
  const std::string l = lang.value_or("id");
  if (l == "id") {
    k.lang = reports::Lang::id;
  } else if (l == "en") {
    k.lang = reports::Lang::en;
  } else {
    throw invalid_field("lang", "must be 'id' or 'en'");
  }
  return k;
}

Stored get(db::Connection& c, const OrgScope& s, const Key& k) {
  programs::require_visible(c, s, k.program_id);
  return load(c, s, k.program_id, k.period, k.lang).value_or(Stored{});
}

reports::Narrative for_report(db::Connection& c, const OrgScope& s, const Key& k) {
  programs::require_visible(c, s, k.program_id);
  if (auto own = load(c, s, k.program_id, k.period, k.lang); own && !own->narrative.empty())
    return own->narrative;
  const auto other = k.lang == reports::Lang::id ? reports::Lang::en : reports::Lang::id;
  if (auto st = load(c, s, k.program_id, k.period, other)) return st->narrative;
  return {};
}

Input parse_input(const boost::json::object& body) {
  Input in;
  auto section = [&](const char* name) { return fields::text(body, name, kMaxSectionBytes); };
  for (const auto& [key, value] : body) {
    (void)value;
    if (key != "summary" && key != "achievements" && key != "challenges" && key != "lessons" &&
        key != "next_steps")
      throw invalid_field(std::string(key), "is not a section of the narrative");
  }
  in.summary = section("summary");
  in.achievements = section("achievements");
  in.challenges = section("challenges");
  in.lessons = section("lessons");
  in.next_steps = section("next_steps");
  return in;
}

Stored put(db::Connection& c, const OrgScope& s, const Key& k, std::int64_t expected_version,
           const Input& in) {
  s.require(Permission::edit_programs);
  programs::require_visible(c, s, k.program_id);
  const auto before = load(c, s, k.program_id, k.period, k.lang);
  const std::int64_t current = before ? before->version : 0;
  if (current != expected_version)
    throw Error(ErrorCode::precondition_failed, "the narrative was changed by someone else; reload it");
  reports::Narrative n = before ? before->narrative : reports::Narrative{};
  if (in.summary) n.summary = *in.summary;
  if (in.achievements) n.achievements = *in.achievements;
  if (in.challenges) n.challenges = *in.challenges;
  if (in.lessons) n.lessons = *in.lessons;
  if (in.next_steps) n.next_steps = *in.next_steps;
  const auto now = now_millis();
  const std::string lang = lang_code(k.lang);
  std::int64_t id = 0;
  if (before) {
    auto r = c.query_one(
        "UPDATE report_narratives SET summary = $1, achievements = $2, challenges = $3, lessons = $4, "
        "next_steps = $5, updated_by = $6, updated_at = $7, version = version + 1 WHERE program_id = $8 AND "
        "period_from = $9 AND period_to = $10 AND lang = $11 AND org_id = $12 AND version = $13 RETURNING id",
        {n.summary, n.achievements, n.challenges, n.lessons, n.next_steps, s.actor().user_id, now,
         k.program_id, k.period.from, k.period.to, lang, s.org_id(), expected_version});
    if (!r)
      throw Error(ErrorCode::precondition_failed, "the narrative was changed by someone else; reload it");
    id = r->int_at(0);
  } else {
    auto r = c.query_one(
        "INSERT INTO report_narratives(org_id, program_id, period_from, period_to, lang, summary, "
        "achievements, "
        "challenges, lessons, next_steps, created_by, updated_by, created_at, updated_at) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11,$12,$12) RETURNING id",
        {s.org_id(), k.program_id, k.period.from, k.period.to, lang, n.summary, n.achievements, n.challenges,
         n.lessons, n.next_steps, s.actor().user_id, now});
    id = r->int_at(0);
  }
  Stored after = *load(c, s, k.program_id, k.period, k.lang);
  audit::record(c, s,
                {{},
                 before ? "report_narrative.update" : "report_narrative.create",
                 "report_narrative",
                 std::to_string(id),
                 before ? bj::value(to_json(k, *before)) : bj::value(),
                 to_json(k, after)});
  return after;
}

bj::object to_json(const Key& k, const Stored& st) {
  return bj::object{{"program_id", std::to_string(k.program_id)},
                    {"from", k.period.from},
                    {"to", k.period.to},
                    {"lang", lang_code(k.lang)},
                    {"sections", sections_json(st.narrative)},
                    {"updated_at", st.updated_at ? bj::value(format_iso8601(*st.updated_at)) : bj::value()},
                    {"version", st.version}};
}

}  // namespace gotong::domain::report_narratives
