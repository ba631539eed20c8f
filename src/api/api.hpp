// The JSON API: the route table and the pipeline every request goes through (route match,
// authentication, CSRF, organisation scope, permission, handler, RFC 9457 problems).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/call.hpp"
#include "base/error.hpp"
#include "domain/roles.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace gotong::api {

enum class Access {
  open,    // anyone (health, login, the OpenAPI document)
  user,    // a signed-in user
  member,  // a member of the organisation named by {org}
  device,  // a member of {org} through OpenRosa: HTTP Basic, bearer token or /key/{token}/ (openrosa/)
};

struct RouteDef {
  std::string method;
  std::string pattern;
  Access access = Access::user;
  std::optional<domain::Permission> permission;  // checked for member routes before the handler
  RouteHandler handler;
};

class Routes {
 public:
  void add(std::string method, std::string pattern, Access access, std::optional<domain::Permission> perm,
           RouteHandler handler);
  const std::vector<RouteDef>& defs() const { return defs_; }
  const http::Router& router() const { return router_; }

 private:
  std::vector<RouteDef> defs_;
  http::Router router_;
};

class Api {
 public:
  explicit Api(Services services);
  // The server's handler: never throws, always answers.
  http::Response handle(http::Request& req);
  const Routes& routes() const { return routes_; }
  // Largest request body for this request head (uploads may allow more than JSON calls).
  std::size_t body_limit(const http::Request& head) const;

 private:
  http::Response dispatch(http::Request& req);
  Services services_;
  Routes routes_;
};

// An RFC 9457 problem response for `e` (application/problem+json).
http::Response problem_response(const Error& e, const http::Request& req);

// Every route of the API (the OpenAPI test compares this with docs/openapi.json).
Routes all_routes();

// Each file of routes adds its own.
void add_system_routes(Routes& r);
void add_session_routes(Routes& r);
void add_organisation_routes(Routes& r);
void add_area_routes(Routes& r);
void add_audit_routes(Routes& r);
void add_form_routes(Routes& r);
void add_form_media_routes(Routes& r);  // api/form_media_routes.cpp
void add_submission_routes(Routes& r);  // api/submission_routes.cpp
void add_export_routes(Routes& r);      // api/export_routes.cpp
void add_openrosa_routes(Routes& r);    // openrosa/openrosa_routes.cpp
void add_program_routes(Routes& r);     // api/program_routes.cpp
void add_stakeholder_routes(Routes& r); // api/stakeholder_routes.cpp
void add_indicator_routes(Routes& r);   // api/indicator_routes.cpp
void add_problem_routes(Routes& r);     // api/problem_routes.cpp
void add_activity_routes(Routes& r);    // api/activity_routes.cpp
void add_participant_routes(Routes& r); // api/participant_routes.cpp
void add_budget_routes(Routes& r);      // api/budget_routes.cpp
void add_feedback_routes(Routes& r);    // api/feedback_routes.cpp
void add_four_w_routes(Routes& r);      // api/four_w_routes.cpp
void add_idm_routes(Routes& r);         // api/idm_routes.cpp
void add_evaluation_routes(Routes& r);  // api/evaluation_routes.cpp
void add_report_routes(Routes& r);      // api/report_routes.cpp

inline constexpr const char* kSessionCookie = "gotong_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

}  // namespace gotong::api
