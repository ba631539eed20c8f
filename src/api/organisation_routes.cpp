// An organisation and its members (roles). Members are managed by the organisation's admins.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/accounts.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace accounts = domain::accounts;
using domain::Permission;

namespace {
domain::Role role_field(const bj::object& body) {
  std::string name = json::required_string(body, "role", 40);
  auto role = domain::parse_role(name);
  if (!role) throw invalid_field("role", "must be one of admin, coordinator, field_officer, partner, viewer");
  return *role;
}
}  // namespace

void add_organisation_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}", Access::member, Permission::read, [](Call& call) {
    auto o = call.db().read_value([&](db::Connection& c) { return accounts::get_organisation(c, call.org()); });
    bj::object body = accounts::to_json(o);
    body["role"] = std::string(domain::role_name(call.org().role()));
    return versioned_response(200, body, o.version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}", Access::member, Permission::manage_organisation, [](Call& call) {
    auto body = call.body();
    auto version = call.if_match();
    std::string name = json::required_string(body, "name", 200);
    auto o = call.db().write_value(
        [&](db::Connection& c) { return accounts::rename_organisation(c, call.org(), version, name); });
    return versioned_response(200, accounts::to_json(o), o.version);
  });

  r.add("GET", "/api/v1/orgs/{org}/members", Access::member, Permission::read, [](Call& call) {
    bj::array items;
    call.db().read([&](db::Connection& c) {
      for (const auto& m : accounts::list_members(c, call.org())) items.push_back(accounts::to_json(m));
    });
    return page_response(std::move(items), std::nullopt);
  });

  // Adds an existing user by e-mail, or creates the account when `name` and `password` are given.
  r.add("POST", "/api/v1/orgs/{org}/members", Access::member, Permission::manage_members, [](Call& call) {
    auto body = call.body();
    std::string email = accounts::normalise_email(json::required_string(body, "email", 254));
    domain::Role role = role_field(body);
    auto name = json::optional_string(body, "name", 200);
    auto password = json::optional_string(body, "password", 1024);
    auto existing = call.db().read_value([&](db::Connection& c) { return accounts::find_user(c, email); });
    std::string hash;
    if (!existing) {
      if (!name || !password)
        throw Error(ErrorCode::validation, "no user has this e-mail yet: give name and password to create one",
                    {{"name", "is required for a new user"}, {"password", "is required for a new user"}});
      accounts::check_password(*password);
      hash = crypto::hash_password(*password);
    }
    auto m = call.db().write_value([&](db::Connection& c) {
      auto user = accounts::find_user(c, email);
      if (!user) user = accounts::create_user(c, call.actor(), email, *name, hash);
      return accounts::add_member(c, call.org(), user->id, role);
    });
    return versioned_response(201, accounts::to_json(m), m.version);
  });

  r.add("GET", "/api/v1/orgs/{org}/members/{user}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("user");
    auto m = call.db().read_value([&](db::Connection& c) { return accounts::get_member(c, call.org(), id); });
    return versioned_response(200, accounts::to_json(m), m.version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/members/{user}", Access::member, Permission::manage_members, [](Call& call) {
    auto id = call.id_param("user");
    auto body = call.body();
    auto version = call.if_match();
    domain::Role role = role_field(body);
    auto m = call.db().write_value(
        [&](db::Connection& c) { return accounts::change_role(c, call.org(), id, version, role); });
    return versioned_response(200, accounts::to_json(m), m.version);
  });

  r.add("DELETE", "/api/v1/orgs/{org}/members/{user}", Access::member, Permission::manage_members, [](Call& call) {
    auto id = call.id_param("user");
    call.db().write([&](db::Connection& c) { accounts::remove_member(c, call.org(), id); });
    return no_content();
  });
}

}  // namespace gotong::api
