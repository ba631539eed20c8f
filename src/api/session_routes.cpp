// Signing in and out, the signed-in user (/me), password change and personal API tokens.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/accounts.hpp"
#include "domain/auth.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace auth = domain::auth;
namespace accounts = domain::accounts;

namespace {

std::string session_cookie(const Call& call, const std::string& token, std::int64_t max_age_s) {
  std::string c = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age_s);
  if (call.svc.settings.secure_cookies) c += "; Secure";
  return c;
}

bj::object me_json(db::Connection& c, const accounts::User& u, const std::string& csrf) {
  bj::object o = accounts::to_json(u);
  bj::array orgs;
  for (const auto& m : accounts::memberships_of(c, u.id)) {
    bj::object org = accounts::to_json(m.org);
    org["role"] = std::string(domain::role_name(m.role));
    orgs.push_back(std::move(org));
  }
  o["organisations"] = std::move(orgs);
  if (!csrf.empty()) o["csrf_token"] = csrf;
  return o;
}

}  // namespace

void add_session_routes(Routes& r) {
  r.add("POST", "/api/v1/auth/login", Access::open, std::nullopt, [](Call& call) {
    auto body = call.body();
    std::string email = json::required_string(body, "email", 254);
    std::string password = json::required_string(body, "password", 1024);
    auto ua = call.req.headers.get("User-Agent").value_or("");
    auto s = auth::login(call.db(), email, password, call.client_ip(), std::string(ua), call.req.request_id,
                         call.svc.settings.throttle);
    auto me = call.db().read_value([&](db::Connection& c) { return me_json(c, s.user, s.csrf_token); });
    http::Response res = json_response(200, me);
    res.headers.set("Set-Cookie", session_cookie(call, s.token, auth::kSessionLifetimeMs / 1000));
    return res;
  });

  r.add("POST", "/api/v1/auth/logout", Access::user, std::nullopt, [](Call& call) {
    if (call.auth->session_id) auth::logout(call.db(), call.actor(), *call.auth->session_id);
    http::Response res = no_content();
    res.headers.set("Set-Cookie", session_cookie(call, "", 0));
    return res;
  });

  r.add("GET", "/api/v1/me", Access::user, std::nullopt, [](Call& call) {
    auto me = call.db().read_value([&](db::Connection& c) {
      auto u = accounts::get_user(c, call.actor().user_id);
      if (!u) throw Error(ErrorCode::unauthenticated, "the account no longer exists");
      return me_json(c, *u, call.auth->csrf_token);
    });
    return json_response(200, me);
  });

  r.add("POST", "/api/v1/me/password", Access::user, std::nullopt, [](Call& call) {
    auto body = call.body();
    auto current = json::required_string(body, "current_password", 1024);
    auto next = json::optional_string(body, "new_password", 1024);
    if (!next) throw invalid_field("new_password", "is required");
    auth::change_password(call.db(), call.actor(), call.auth->session_id, current, *next);
    return no_content();
  });

  r.add("GET", "/api/v1/me/tokens", Access::user, std::nullopt, [](Call& call) {
    bj::array items;
    call.db().read([&](db::Connection& c) {
      for (const auto& t : auth::list_tokens(c, call.actor().user_id)) items.push_back(auth::to_json(t));
    });
    return page_response(std::move(items), std::nullopt);
  });

  r.add("POST", "/api/v1/me/tokens", Access::user, std::nullopt, [](Call& call) {
    auto body = call.body();
    std::string name = json::required_string(body, "name", 100);
    auto t = call.db().write_value([&](db::Connection& c) {
      return auth::create_token(c, call.actor(), call.actor().user_id, name);
    });
    return json_response(201, auth::to_json(t));
  });

  r.add("DELETE", "/api/v1/me/tokens/{id}", Access::user, std::nullopt, [](Call& call) {
    std::int64_t id = call.id_param("id");
    call.db().write([&](db::Connection& c) { auth::revoke_token(c, call.actor(), id); });
    return no_content();
  });
}

}  // namespace gotong::api
