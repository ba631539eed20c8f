#include "domain/activity_fields.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/areas.hpp"

namespace gotong::domain::activity_fields {

namespace bj = boost::json;

AreaRef require_area(db::Connection& c, const OrgScope& s, std::int64_t area_id, const std::string& field) {
  try {
    auto a = areas::get(c, s, area_id);
    return AreaRef{a.id, a.level, a.name, a.code, a.full_name};
  } catch (const Error& e) {
    if (e.code() != ErrorCode::not_found) throw;
    throw invalid_field(field, "is not an area this organisation can see");
  }
}

std::optional<AreaRef> area_ref(db::Connection& c, std::optional<std::int64_t> area_id) {
  if (!area_id) return std::nullopt;
  auto r = c.query_one("SELECT id, level, name, code, full_name FROM areas WHERE id = $1", {*area_id});
  if (!r) return std::nullopt;
  return AreaRef{r->int_at(0), static_cast<int>(r->int_at(1)), r->text_at(2), r->text_at(3), r->text_at(4)};
}

bj::value to_json(const std::optional<AreaRef>& a) {
  if (!a) return nullptr;
  return bj::object{{"id", std::to_string(a->id)},
                    {"name", a->name},
                    {"code", a->code.empty() ? bj::value() : bj::value(a->code)},
                    {"full_name", a->full_name}};
}

void require_member(db::Connection& c, const OrgScope& s, std::int64_t user_id, const std::string& field) {
  if (!c.query_int("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2", {s.org_id(), user_id}))
    throw invalid_field(field, "is not a member of this organisation");
}

void require_stakeholder(db::Connection& c, const OrgScope& s, std::int64_t stakeholder_id,
                         const std::string& field) {
  if (!c.query_int("SELECT 1 FROM stakeholders WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL",
                   {stakeholder_id, s.org_id()}))
    throw invalid_field(field, "is not a stakeholder of this organisation");
}

std::optional<std::int64_t> user_or_null(const OrgScope& s) {
  return s.actor().user_id ? std::optional(s.actor().user_id) : std::nullopt;
}

bj::value id_json(std::optional<std::int64_t> id) {
  return id ? bj::value(std::to_string(*id)) : bj::value();
}

bj::value text_json(const std::optional<std::string>& s) { return s ? bj::value(*s) : bj::value(); }

bj::value time_json(std::optional<std::int64_t> ms) {
  return ms ? bj::value(format_iso8601(*ms)) : bj::value();
}

void check_version(std::int64_t current, std::int64_t expected, std::string_view what) {
  if (current != expected)
    throw Error(ErrorCode::precondition_failed,
                "the " + std::string(what) + " was changed by someone else; reload it");
}

}  // namespace gotong::domain::activity_fields
