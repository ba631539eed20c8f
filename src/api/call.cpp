#include "api/call.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "base/error.hpp"
#include "base/json.hpp"

namespace gotong::api {

namespace bj = boost::json;

std::string Call::param(std::string_view name) const {
  auto v = params.get(name);
  return v ? std::string(*v) : std::string();
}

std::int64_t Call::id_param(std::string_view name) const {
  std::string s = param(name);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size() || id <= 0)
    throw Error(ErrorCode::not_found, "no such resource: " + req.path);
  return id;
}

bj::object Call::body() const {
  auto ct = req.headers.get("Content-Type");
  std::string_view type = ct ? ct->substr(0, ct->find(';')) : std::string_view();
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!http::iequals(type, "application/json"))
    throw Error(ErrorCode::unsupported_media_type, "send the body as Content-Type: application/json");
  return json::parse_object(req.body);
}

std::int64_t Call::if_match() const {
  auto h = req.headers.get("If-Match");
  if (!h)
    throw Error(ErrorCode::precondition_required,
                "send If-Match with the ETag you read, so that no one's edit is lost");
  std::string_view v = *h;
  if (v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() >= 4 && v.front() == '"' && v.back() == '"' && v[1] == 'v') {
    std::int64_t version = 0;
    auto [p, ec] = std::from_chars(v.data() + 2, v.data() + v.size() - 1, version);
    if (ec == std::errc() && p == v.data() + v.size() - 1) return version;
  }
  throw Error(ErrorCode::precondition_failed, "If-Match does not hold an ETag of this resource");
}

std::string Call::client_ip() const {
  if (svc.settings.trust_proxy) {
    if (auto xff = req.headers.get("X-Forwarded-For")) {
      std::string_view v = *xff;
      std::size_t comma = v.rfind(',');
      if (comma != std::string_view::npos) v = v.substr(comma + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      if (!v.empty() && v.size() < 64) return std::string(v);
    }
  }
  return req.remote_ip;
}

http::Response json_response(int status, const bj::value& body) {
  http::Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = json::serialize(body);
  return r;
}

http::Response versioned_response(int status, const bj::object& body, std::int64_t version) {
  http::Response r = json_response(status, body);
  r.headers.set("ETag", "\"v" + std::to_string(version) + "\"");
  return r;
}

http::Response no_content() {
  http::Response r;
  r.status = 204;
  return r;
}

http::Response page_response(bj::array items, std::optional<std::string> next_cursor) {
  return json_response(200, bj::object{{"items", std::move(items)},
                                       {"next_cursor", next_cursor ? bj::value(*next_cursor) : bj::value()}});
}

}  // namespace gotong::api
