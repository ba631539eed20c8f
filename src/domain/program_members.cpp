// Sharing a program with users of the organisation (programs.hpp): partner users see only the
// programs shared with them; sharing with other roles is allowed and harmless.
#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::programs {

namespace bj = boost::json;

namespace {
constexpr const char* kMemberSelect =
    "SELECT u.id, u.email, u.name, ms.role, pm.added_by, pm.added_at FROM program_members pm "
    "JOIN users u ON u.id = pm.user_id JOIN memberships ms ON ms.user_id = pm.user_id AND ms.org_id = "
    "pm.org_id ";

Member member_from(const db::Row& r) {
  return Member{r.int_at(0), r.text_at(1), r.text_at(2), r.text_at(3), r.opt_int(4), r.int_at(5)};
}
}  // namespace

std::vector<Member> members(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  require_visible(c, s, program_id);
  std::vector<Member> out;
  for (const auto& r : c.query(
           std::string(kMemberSelect) + "WHERE pm.program_id = $1 AND pm.org_id = $2 ORDER BY u.name, u.id",
           {program_id, s.org_id()}))
    out.push_back(member_from(r));
  return out;
}

Member share(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::int64_t user_id) {
  s.require(Permission::edit_programs);
  Program p = require_visible(c, s, program_id);
  if (!c.query_int("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2", {s.org_id(), user_id}))
    throw invalid_field("user_id", "is not a member of this organisation");
  if (c.query_int("SELECT 1 FROM program_members WHERE program_id = $1 AND user_id = $2",
                  {program_id, user_id}))
    throw Error(ErrorCode::conflict, "the program is already shared with this user");
  c.exec(
      "INSERT INTO program_members(program_id, user_id, org_id, added_by, added_at) VALUES ($1,$2,$3,$4,$5)",
      {program_id, user_id, s.org_id(), s.actor().user_id ? db::Value(s.actor().user_id) : db::Value(),
       now_millis()});
  Member m = member_from(*c.query_one(
      std::string(kMemberSelect) + "WHERE pm.program_id = $1 AND pm.user_id = $2", {program_id, user_id}));
  bj::object after = to_json(m);
  after["program_id"] = std::to_string(program_id);
  after["program"] = p.name;
  audit::record(c, s, {{}, "program.share", "program", std::to_string(program_id), {}, after});
  return m;
}

void unshare(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::int64_t user_id) {
  s.require(Permission::edit_programs);
  Program p = require_visible(c, s, program_id);
  auto row = c.query_one(std::string(kMemberSelect) + "WHERE pm.program_id = $1 AND pm.user_id = $2",
                         {program_id, user_id});
  if (!row)
    throw Error(ErrorCode::not_found, "the program is not shared with user " + std::to_string(user_id));
  bj::object before = to_json(member_from(*row));
  before["program_id"] = std::to_string(program_id);
  before["program"] = p.name;
  c.exec("DELETE FROM program_members WHERE program_id = $1 AND user_id = $2", {program_id, user_id});
  audit::record(c, s, {{}, "program.unshare", "program", std::to_string(program_id), before, {}});
}

bj::object to_json(const Member& m) {
  return bj::object{{"user_id", std::to_string(m.user_id)},
                    {"email", m.email},
                    {"name", m.name},
                    {"role", m.role},
                    {"added_by", m.added_by ? bj::value(std::to_string(*m.added_by)) : bj::value()},
                    {"added_at", format_iso8601(m.added_at)}};
}

}  // namespace gotong::domain::programs
