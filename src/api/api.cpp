#include "api/api.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/budget.hpp"
#include "domain/form_media.hpp"
#include "openrosa/openrosa.hpp"

namespace gotong::api {

namespace bj = boost::json;

void Routes::add(std::string method, std::string pattern, Access access,
                 std::optional<domain::Permission> perm, RouteHandler handler) {
  router_.add(method, pattern, defs_.size());
  defs_.push_back(RouteDef{std::move(method), std::move(pattern), access, perm, std::move(handler)});
}

Routes all_routes() {
  Routes r;
  add_system_routes(r);
  add_session_routes(r);
  add_organisation_routes(r);
  add_area_routes(r);
  add_audit_routes(r);
  add_form_routes(r);
  add_form_media_routes(r);
  add_submission_routes(r);
  add_export_routes(r);
  add_openrosa_routes(r);
  add_program_routes(r);
  add_stakeholder_routes(r);
  add_indicator_routes(r);
  add_problem_routes(r);
  add_activity_routes(r);
  add_participant_routes(r);
  add_budget_routes(r);
  add_feedback_routes(r);
  add_four_w_routes(r);
  add_idm_routes(r);
  add_evaluation_routes(r);
  add_report_routes(r);
  return r;
}

Api::Api(Services services) : services_(std::move(services)), routes_(all_routes()) {}

std::size_t Api::body_limit(const http::Request& head) const {
  // Form uploads carry spreadsheets and submissions carry photos; everything else is small JSON.
  auto ends_with = [&](std::string_view suffix) { return std::string_view(head.path).ends_with(suffix); };
  if (head.method != "POST") return std::size_t{1} << 20;
  if (ends_with("/submission")) return openrosa::kMaxSubmissionBytes;  // OpenRosa: XML + attachments
  if (ends_with("/media")) return domain::form_media::kMaxBytes + (std::size_t{64} << 10);  // + multipart
  if (ends_with("/submissions") || ends_with("/forms")) return std::size_t{20} << 20;
  if (ends_with("/receipt"))
    return domain::budget::kMaxReceiptBytes + (std::size_t{64} << 10);  // + multipart
  return std::size_t{1} << 20;
}

http::Response problem_response(const Error& e, const http::Request& req) {
  const ErrorInfo& info = error_info(e.code());
  bj::object o{{"type", "https://gotong.id/problems/" + std::string(info.slug)},
               {"title", info.title},
               {"status", info.http_status},
               {"detail", e.what()},
               {"instance", req.path},
               {"request_id", req.request_id}};
  if (!e.details().empty()) {
    bj::array errors;
    for (const auto& d : e.details())
      errors.push_back(bj::object{{"field", d.field}, {"message", d.message}});
    o["errors"] = std::move(errors);
  }
  http::Response r;
  r.status = info.http_status;
  r.headers.set("Content-Type", "application/problem+json");
  r.headers.set("Cache-Control", "no-store");
  if (e.code() == ErrorCode::too_many_requests && e.retry_after_seconds() > 0)
    r.headers.set("Retry-After", std::to_string(e.retry_after_seconds()));
  r.body = json::serialize(o);
  return r;
}

namespace {

bool is_unsafe(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

std::optional<std::string_view> cookie_value(const http::Request& req, std::string_view name) {
  auto header = req.headers.get("Cookie");
  if (!header) return std::nullopt;
  std::string_view h = *header;
  while (!h.empty()) {
    std::size_t semi = h.find(';');
    std::string_view pair = h.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
      return pair.substr(name.size() + 1);
    if (semi == std::string_view::npos) break;
    h.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

// Who is calling: a bearer token wins over a cookie (scripts never need CSRF).
std::optional<domain::auth::Authenticated> authenticate(Call& call) {
  if (auto authz = call.req.headers.get("Authorization")) {
    if (authz->size() > 7 && http::iequals(authz->substr(0, 7), "Bearer ")) {
      auto a = domain::auth::from_api_token(call.db(), authz->substr(7));
      if (!a) throw Error(ErrorCode::unauthenticated, "the API token is unknown or revoked");
      return a;
    }
    throw Error(ErrorCode::unauthenticated, "use 'Authorization: Bearer <token>'");
  }
  if (auto token = cookie_value(call.req, kSessionCookie)) {
    auto a = call.db().read_value([&](db::Connection& c) { return domain::auth::from_session(c, *token); });
    if (a && is_unsafe(call.req.method)) {
      auto sent = call.req.headers.get(kCsrfHeader);
      if (!sent || !crypto::constant_time_equal(*sent, a->csrf_token))
        throw Error(ErrorCode::forbidden, "missing or wrong X-CSRF-Token header (see GET /api/v1/me)");
    }
    return a;
  }
  return std::nullopt;
}

}  // namespace

http::Response Api::dispatch(http::Request& req) {
  auto m = routes_.router().match(req.method, req.path);
  if (m.outcome == http::Router::Outcome::not_found)
    throw Error(ErrorCode::not_found,
                req.path.rfind("/api/", 0) == 0
                    ? "no such resource: " + req.path
                    : "no such resource: " + req.path +
                          "; the API lives under /api/v1 (described at /api/v1/openapi.json)");
  if (m.outcome == http::Router::Outcome::method_not_allowed) {
    std::string allow;
    for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
    Error e(ErrorCode::method_not_allowed, req.method + " is not allowed here; allowed: " + allow);
    auto r =
        openrosa::is_openrosa_path(req.path) ? openrosa::error_response(e, req) : problem_response(e, req);
    r.headers.set("Allow", allow);
    return r;
  }
  const RouteDef& def = routes_.defs()[m.target];
  Call call{req, m.params, services_, std::nullopt, std::nullopt};
  if (def.access == Access::device) {
    // Field devices: Basic, bearer or the token in the path; never the web app's cookie.
    call.auth = openrosa::authenticate(call);
    call.auth->actor.request_id = req.request_id;
    call.auth->actor.ip = call.client_ip();
  } else if (def.access != Access::open) {
    call.auth = authenticate(call);
    if (!call.auth) throw Error(ErrorCode::unauthenticated, "sign in first (POST /api/v1/auth/login)");
    call.auth->actor.request_id = req.request_id;
    call.auth->actor.ip = call.client_ip();
  }
  if (def.access == Access::member || def.access == Access::device) {
    std::string slug = call.param("org");
    call.scope =
        call.db().read_value([&](db::Connection& c) { return domain::resolve_scope(c, call.actor(), slug); });
    if (def.permission) call.scope->require(*def.permission);
  }
  return def.handler(call);
}

http::Response Api::handle(http::Request& req) {
  // OpenRosa clients get their headers on every answer and errors as OpenRosaResponse XML.
  const bool speaks_openrosa = openrosa::is_openrosa_path(req.path);
  // The same headers and error answers whether the response is ready now or comes after a
  // write commits (http::Later); the request outlives both.
  auto finish = [&req, speaks_openrosa](const http::Build& build) -> http::Response {
    auto failure = [&](const Error& e) {
      return speaks_openrosa ? openrosa::error_response(e, req) : problem_response(e, req);
    };
    try {
      http::Response r = build();
      if (r.later) return r;
      if (!r.headers.get("Cache-Control")) r.headers.set("Cache-Control", "no-store");
      if (speaks_openrosa) openrosa::add_headers(r);
      return r;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::internal) spdlog::error("request {} failed: {}", req.request_id, e.what());
      return failure(e);
    } catch (const std::exception& e) {
      // A bug or a broken database: log the detail, show the client only the request id.
      spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
      return failure(Error(ErrorCode::internal, "internal error; quote request id " + req.request_id));
    }
  };
  http::Response r = finish([&] { return dispatch(req); });
  if (r.later) http::then(r, finish);
  return r;
}

}  // namespace gotong::api
