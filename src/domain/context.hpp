// Who is acting, and within which organisation. An OrgScope can only be made by
// resolve_scope(), which checks membership: every organisation-owned query takes one and
// filters by its org_id, so a handler cannot forget isolation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "domain/roles.hpp"

namespace gotong::domain {

struct Actor {
  std::int64_t user_id = 0;  // 0 for the command line
  std::string email;         // or "cli"
  std::string name;
  std::optional<std::int64_t> api_token_id;  // set when signed in with a bearer token
  std::string request_id;
  std::string ip;

  static Actor cli() { return Actor{0, "cli", "command line", std::nullopt, {}, {}}; }
};

class OrgScope {
 public:
  std::int64_t org_id() const { return org_id_; }
  const std::string& slug() const { return slug_; }
  Role role() const { return role_; }
  const Actor& actor() const { return actor_; }
  bool can(Permission p) const { return allows(role_, p); }
  // Throws Error(forbidden) naming the role when the permission is missing.
  void require(Permission p) const;

  // For the command line and migrations, which act as an administrator of the organisation.
  static OrgScope for_cli(std::int64_t org_id, std::string slug);

 private:
  friend OrgScope resolve_scope(db::Connection&, const Actor&, std::string_view);
  OrgScope(std::int64_t id, std::string slug, Role role, Actor actor)
      : org_id_(id), slug_(std::move(slug)), role_(role), actor_(std::move(actor)) {}
  std::int64_t org_id_;
  std::string slug_;
  Role role_;
  Actor actor_;
};

// The actor's scope in the organisation `slug`; Error(not_found) when the organisation does not
// exist or the actor is not a member (the two are indistinguishable from outside).
OrgScope resolve_scope(db::Connection& c, const Actor& actor, std::string_view slug);

}  // namespace gotong::domain
