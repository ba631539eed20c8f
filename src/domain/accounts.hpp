// Organisations, users and memberships. Functions that change data take the connection of a
// write job and record the change in the audit log in the same transaction. Passwords are
// hashed by the caller before the write job (argon2id is slow on purpose and must not hold
// the single writer).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::accounts {

struct Organisation {
  std::int64_t id = 0;
  std::string slug, name;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};

struct User {
  std::int64_t id = 0;
  std::string email, name, language;
  bool disabled = false;
  std::int64_t created_at = 0;
};

struct Member {
  User user;
  Role role = Role::viewer;
  std::int64_t version = 1;
};

struct MembershipOf {
  Organisation org;
  Role role = Role::viewer;
};

// Validation shared by the API and the command line; each throws a validation Error.
std::string normalise_email(std::string_view email);
void check_slug(std::string_view slug);
void check_password(std::string_view password);

Organisation create_organisation(db::Connection& c, const Actor& actor, std::string_view slug,
                                 std::string_view name);
std::optional<Organisation> find_organisation(db::Connection& c, std::string_view slug);
Organisation get_organisation(db::Connection& c, const OrgScope& s);
// Requires manage_organisation; Error(precondition_failed) if `expected_version` is stale.
Organisation rename_organisation(db::Connection& c, const OrgScope& s, std::int64_t expected_version,
                                 std::string_view name);

User create_user(db::Connection& c, const Actor& actor, std::string_view email, std::string_view name,
                 const std::string& password_hash);
std::optional<User> find_user(db::Connection& c, std::string_view email);
std::optional<User> get_user(db::Connection& c, std::int64_t id);
// Replaces the password hash and signs the user out everywhere except `keep_session_id`.
void set_password_hash(db::Connection& c, const Actor& actor, std::int64_t user_id,
                       const std::string& hash, std::optional<std::int64_t> keep_session_id = {});
std::vector<User> list_users(db::Connection& c);

std::vector<MembershipOf> memberships_of(db::Connection& c, std::int64_t user_id);
std::vector<Member> list_members(db::Connection& c, const OrgScope& s);
Member get_member(db::Connection& c, const OrgScope& s, std::int64_t user_id);
// Adds (or, from the command line, re-roles) a member. Requires manage_members.
Member add_member(db::Connection& c, const OrgScope& s, std::int64_t user_id, Role role);
Member change_role(db::Connection& c, const OrgScope& s, std::int64_t user_id,
                   std::int64_t expected_version, Role role);
// Refuses to remove or demote the last admin, so an organisation is never left unmanaged.
void remove_member(db::Connection& c, const OrgScope& s, std::int64_t user_id);

boost::json::object to_json(const Organisation& o);
boost::json::object to_json(const User& u);
boost::json::object to_json(const Member& m);

}  // namespace gotong::domain::accounts
