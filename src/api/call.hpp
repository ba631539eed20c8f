// What an API handler gets: the request, its path parameters, the services, and who is calling
// (checked by the pipeline in api.cpp before the handler runs). Also the response helpers.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>

#include "api/query.hpp"
#include "db/database.hpp"
#include "domain/attachment_store.hpp"
#include "domain/auth.hpp"
#include "domain/context.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace gotong::api {

struct Settings {
  std::string version = GOTONG_VERSION;
  bool secure_cookies = false;  // add "Secure" to the session cookie (behind TLS)
  bool trust_proxy = false;     // take the client address from X-Forwarded-For
  domain::auth::ThrottlePolicy throttle;
};

struct Services {
  db::Database& db;
  Settings settings;
  domain::AttachmentStore attachments;  // submission attachments and form media on disk
};

struct Call {
  http::Request& req;
  const http::PathParams& params;
  Services& svc;
  std::optional<domain::auth::Authenticated> auth;  // set for every route that needs sign-in
  std::optional<domain::OrgScope> scope;            // set for routes under /orgs/{org}

  const domain::Actor& actor() const { return auth->actor; }
  const domain::OrgScope& org() const { return *scope; }
  db::Database& db() const { return svc.db; }
  const domain::AttachmentStore& attachments() const { return svc.attachments; }
  Query query() const { return Query(req.query); }
  // The path parameter `name` as an id; Error(not_found) when it is not a positive integer.
  std::int64_t id_param(std::string_view name) const;
  std::string param(std::string_view name) const;
  // The JSON object body; Error(unsupported_media_type) unless Content-Type is JSON.
  boost::json::object body() const;
  // The version the client read (If-Match: "v3"); Error(precondition_required) when absent.
  std::int64_t if_match() const;
  std::string client_ip() const;
};

http::Response json_response(int status, const boost::json::value& body);
// json_response with an ETag of the object's version ("v<version>").
http::Response versioned_response(int status, const boost::json::object& body, std::int64_t version);
http::Response no_content();
// A page of a list: {"items": [...], "next_cursor": "..." | null}.
http::Response page_response(boost::json::array items, std::optional<std::string> next_cursor);

using RouteHandler = std::function<http::Response(Call&)>;

}  // namespace gotong::api
