#include "domain/accounts.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"

namespace gotong::domain::accounts {

namespace bj = boost::json;

std::string normalise_email(std::string_view email) {
  std::string e = text::to_lower_ascii(text::trim(email));
  auto at = e.find('@');
  if (e.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find('.', at) == std::string::npos || e.find_first_of(" \t\r\n<>,;\"") != std::string::npos)
    throw invalid_field("email", "is not an e-mail address");
  return e;
}

void check_slug(std::string_view slug) {
  bool ok = slug.size() >= 2 && slug.size() <= 40 && slug.front() != '-' && slug.back() != '-';
  for (char ch : slug) ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-');
  if (!ok)
    throw invalid_field("slug", "must be 2 to 40 lower-case letters, digits or '-', e.g. 'yayasan-air'");
}

void check_password(std::string_view password) {
  if (password.size() < 8) throw invalid_field("password", "must have at least 8 characters");
  if (password.size() > 1024) throw invalid_field("password", "must have at most 1024 characters");
}

namespace {

Organisation org_from(const db::Row& r) {
  return Organisation{r.int_at(0), r.text_at(1), r.text_at(2), r.int_at(3), r.int_at(4), r.int_at(5)};
}
constexpr const char* kOrgColumns = "id, slug, name, version, created_at, updated_at";

User user_from(const db::Row& r) {
  return User{r.int_at(0), r.text_at(1), r.text_at(2), r.text_at(3), r.int_at(4) != 0, r.int_at(5)};
}
constexpr const char* kUserColumns = "id, email, name, language, disabled, created_at";

std::string clean_name(std::string_view name, const char* field) {
  std::string n = text::trim(name);
  if (n.empty()) throw invalid_field(field, "must not be empty");
  if (n.size() > 200) throw invalid_field(field, "must have at most 200 characters");
  if (!text::is_clean_utf8(n)) throw invalid_field(field, "must be text without control characters");
  return n;
}

int count_admins(db::Connection& c, std::int64_t org_id) {
  return static_cast<int>(
      c.query_int("SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'", {org_id})
          .value_or(0));
}

}  // namespace

Organisation create_organisation(db::Connection& c, const Actor& actor, std::string_view slug,
                                 std::string_view name) {
  check_slug(slug);
  std::string n = clean_name(name, "name");
  if (find_organisation(c, slug))
    throw Error(ErrorCode::conflict, "an organisation with the slug '" + std::string(slug) + "' exists");
  auto now = now_millis();
  auto row = c.query_one(std::string("INSERT INTO organisations(slug, name, created_at, updated_at) "
                                     "VALUES ($1, $2, $3, $3) RETURNING ") + kOrgColumns,
                         {slug, n, now});
  Organisation o = org_from(*row);
  audit::record(c, actor, {o.id, "organisation.create", "organisation", std::to_string(o.id), {}, to_json(o)});
  return o;
}

std::optional<Organisation> find_organisation(db::Connection& c, std::string_view slug) {
  auto row = c.query_one(std::string("SELECT ") + kOrgColumns + " FROM organisations WHERE slug = $1", {slug});
  if (!row) return std::nullopt;
  return org_from(*row);
}

Organisation get_organisation(db::Connection& c, const OrgScope& s) {
  auto row = c.query_one(std::string("SELECT ") + kOrgColumns + " FROM organisations WHERE id = $1",
                         {s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no such organisation");
  return org_from(*row);
}

Organisation rename_organisation(db::Connection& c, const OrgScope& s, std::int64_t expected_version,
                                 std::string_view name) {
  s.require(Permission::manage_organisation);
  std::string n = clean_name(name, "name");
  Organisation before = get_organisation(c, s);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the organisation was changed by someone else; reload it");
  auto row = c.query_one(std::string("UPDATE organisations SET name = $1, version = version + 1, "
                                     "updated_at = $2 WHERE id = $3 RETURNING ") + kOrgColumns,
                         {n, now_millis(), s.org_id()});
  Organisation after = org_from(*row);
  audit::record(c, s, {{}, "organisation.update", "organisation", std::to_string(after.id),
                       to_json(before), to_json(after)});
  return after;
}

User create_user(db::Connection& c, const Actor& actor, std::string_view email, std::string_view name,
                 const std::string& password_hash) {
  std::string e = normalise_email(email);
  std::string n = clean_name(name, "name");
  if (find_user(c, e)) throw Error(ErrorCode::conflict, "a user with the e-mail " + e + " exists");
  auto now = now_millis();
  auto row = c.query_one(std::string("INSERT INTO users(email, name, password_hash, created_at, "
                                     "password_changed_at) VALUES ($1, $2, $3, $4, $4) RETURNING ") +
                             kUserColumns,
                         {e, n, password_hash, now});
  User u = user_from(*row);
  audit::record(c, actor, {{}, "user.create", "user", std::to_string(u.id), {}, to_json(u)});
  return u;
}

std::optional<User> find_user(db::Connection& c, std::string_view email) {
  auto row = c.query_one(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = $1",
                         {text::to_lower_ascii(text::trim(email))});
  if (!row) return std::nullopt;
  return user_from(*row);
}

std::optional<User> get_user(db::Connection& c, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {id});
  if (!row) return std::nullopt;
  return user_from(*row);
}

void set_password_hash(db::Connection& c, const Actor& actor, std::int64_t user_id,
                       const std::string& hash, std::optional<std::int64_t> keep_session_id) {
  if (c.exec("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
             {hash, now_millis(), user_id}) == 0)
    throw Error(ErrorCode::not_found, "no such user");
  c.exec("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", {user_id, keep_session_id.value_or(0)});
  audit::record(c, actor, {{}, "user.password_change", "user", std::to_string(user_id), {}, {}});
}

std::vector<User> list_users(db::Connection& c) {
  std::vector<User> out;
  for (const auto& r : c.query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY email"))
    out.push_back(user_from(r));
  return out;
}

std::vector<MembershipOf> memberships_of(db::Connection& c, std::int64_t user_id) {
  std::vector<MembershipOf> out;
  for (const auto& r : c.query(
           "SELECT o.id, o.slug, o.name, o.version, o.created_at, o.updated_at, m.role "
           "FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = $1 "
           "ORDER BY o.name",
           {user_id}))
    out.push_back(MembershipOf{org_from(r), parse_role(r.text_at(6)).value_or(Role::viewer)});
  return out;
}

namespace {
constexpr const char* kMemberSelect =
    "SELECT u.id, u.email, u.name, u.language, u.disabled, u.created_at, m.role, m.version "
    "FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1";

Member member_from(const db::Row& r) {
  return Member{user_from(r), parse_role(r.text_at(6)).value_or(Role::viewer), r.int_at(7)};
}
}  // namespace

std::vector<Member> list_members(db::Connection& c, const OrgScope& s) {
  std::vector<Member> out;
  for (const auto& r : c.query(std::string(kMemberSelect) + " ORDER BY u.email", {s.org_id()}))
    out.push_back(member_from(r));
  return out;
}

Member get_member(db::Connection& c, const OrgScope& s, std::int64_t user_id) {
  auto row = c.query_one(std::string(kMemberSelect) + " AND m.user_id = $2", {s.org_id(), user_id});
  if (!row) throw Error(ErrorCode::not_found, "no such member");
  return member_from(*row);
}

Member add_member(db::Connection& c, const OrgScope& s, std::int64_t user_id, Role role) {
  s.require(Permission::manage_members);
  if (!get_user(c, user_id)) throw Error(ErrorCode::not_found, "no such user");
  if (c.query_int("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2", {s.org_id(), user_id}))
    throw Error(ErrorCode::conflict, "this user is already a member");
  c.exec("INSERT INTO memberships(org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
         {s.org_id(), user_id, role_name(role), now_millis()});
  Member m = get_member(c, s, user_id);
  audit::record(c, s, {{}, "member.add", "member", std::to_string(user_id), {}, to_json(m)});
  return m;
}

Member change_role(db::Connection& c, const OrgScope& s, std::int64_t user_id,
                   std::int64_t expected_version, Role role) {
  s.require(Permission::manage_members);
  Member before = get_member(c, s, user_id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the membership was changed by someone else; reload it");
  if (before.role == Role::admin && role != Role::admin && count_admins(c, s.org_id()) <= 1)
    throw Error(ErrorCode::conflict, "an organisation needs at least one admin");
  c.exec("UPDATE memberships SET role = $1, version = version + 1 WHERE org_id = $2 AND user_id = $3",
         {role_name(role), s.org_id(), user_id});
  Member after = get_member(c, s, user_id);
  audit::record(c, s, {{}, "member.update", "member", std::to_string(user_id), to_json(before), to_json(after)});
  return after;
}

void remove_member(db::Connection& c, const OrgScope& s, std::int64_t user_id) {
  s.require(Permission::manage_members);
  Member before = get_member(c, s, user_id);
  if (before.role == Role::admin && count_admins(c, s.org_id()) <= 1)
    throw Error(ErrorCode::conflict, "an organisation needs at least one admin");
  c.exec("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2", {s.org_id(), user_id});
  audit::record(c, s, {{}, "member.remove", "member", std::to_string(user_id), to_json(before), {}});
}

bj::object to_json(const Organisation& o) {
  return bj::object{{"id", std::to_string(o.id)},
                    {"slug", o.slug},
                    {"name", o.name},
                    {"version", o.version},
                    {"created_at", format_iso8601(o.created_at)},
                    {"updated_at", format_iso8601(o.updated_at)}};
}

bj::object to_json(const User& u) {
  return bj::object{{"id", std::to_string(u.id)},       {"email", u.email},
                    {"name", u.name},                   {"language", u.language},
                    {"disabled", u.disabled},           {"created_at", format_iso8601(u.created_at)}};
}

bj::object to_json(const Member& m) {
  bj::object o = to_json(m.user);
  o["role"] = std::string(role_name(m.role));
  o["version"] = m.version;
  return o;
}

}  // namespace gotong::domain::accounts
