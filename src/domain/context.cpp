#include "domain/context.hpp"

#include "base/error.hpp"

namespace gotong::domain {

void OrgScope::require(Permission p) const {
  if (!can(p))
    throw Error(ErrorCode::forbidden,
                "the role " + std::string(role_name(role_)) + " may not do this in " + slug_);
}

OrgScope OrgScope::for_cli(std::int64_t org_id, std::string slug) {
  return OrgScope(org_id, std::move(slug), Role::admin, Actor::cli());
}

OrgScope resolve_scope(db::Connection& c, const Actor& actor, std::string_view slug) {
  auto row = c.query_one(
      "SELECT o.id, o.slug, m.role FROM organisations o "
      "JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.slug = $1",
      {slug, actor.user_id});
  if (!row) throw Error(ErrorCode::not_found, "no organisation '" + std::string(slug) + "'");
  auto role = parse_role(row->text_at(2));
  if (!role) throw Error(ErrorCode::internal, "unknown role in the database");
  return OrgScope(row->int_at(0), row->text_at(1), *role, actor);
}

}  // namespace gotong::domain
