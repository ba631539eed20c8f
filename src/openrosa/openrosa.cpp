#include "openrosa/openrosa.hpp"

#include "api/api.hpp"
#include "forms/xpath/digest.hpp"

namespace gotong::openrosa {

namespace {

constexpr std::string_view kChallenge = "Basic realm=\"Gotong\", charset=\"UTF-8\"";

// Length of the valid UTF-8 sequence starting s[i] (1-4), or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  // Overlong forms, surrogates and code points above U+10FFFF.
  if (n == 3 && ((b == 0xE0 && byte(i + 1) < 0xA0) || (b == 0xED && byte(i + 1) >= 0xA0))) return 0;
  if (n == 4 && ((b == 0xF0 && byte(i + 1) < 0x90) || (b == 0xF4 && byte(i + 1) >= 0x90))) return 0;
  return n;
}

bool wants_problem_json(const http::Request& req) {
  auto accept = req.headers.get("Accept");
  if (!accept) return false;
  std::string a(*accept);
  for (char& ch : a) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  bool json = a.find("application/json") != std::string::npos ||
              a.find("application/problem+json") != std::string::npos;
  return json && a.find("xml") == std::string::npos;
}

std::optional<domain::auth::Authenticated> from_token(api::Call& call, std::string_view token) {
  return domain::auth::from_api_token(call.db(), token);
}

}  // namespace

bool is_openrosa_path(std::string_view path) {
  if (path.starts_with("/openrosa/")) return true;
  if (!path.starts_with("/key/")) return false;
  std::size_t end = path.find('/', 5);
  return end != std::string_view::npos && path.substr(end).starts_with("/openrosa/");
}

domain::auth::Authenticated authenticate(api::Call& call) {
  if (auto token = call.params.get("token")) {
    auto a = from_token(call, *token);
    if (!a)
      throw Error(
          ErrorCode::forbidden,
          "the key in this server address is unknown or was revoked; ask your coordinator for a new one");
    return *a;
  }
  auto authz = call.req.headers.get("Authorization");
  if (!authz) throw Error(ErrorCode::unauthenticated, "sign in with your e-mail address and password");
  std::string_view h = *authz;
  if (h.size() > 7 && http::iequals(h.substr(0, 7), "Bearer ")) {
    auto a = from_token(call, h.substr(7));
    if (!a) throw Error(ErrorCode::unauthenticated, "the API token is unknown or revoked");
    return *a;
  }
  if (h.size() > 6 && http::iequals(h.substr(0, 6), "Basic ")) {
    std::string_view encoded = h.substr(6);
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    auto decoded = encoded.size() <= 2000 ? forms::xpath::base64_decode(encoded) : std::nullopt;
    std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos || colon == 0)
      throw Error(ErrorCode::unauthenticated, "the Basic credentials are malformed; send e-mail:password");
    std::string_view email = std::string_view(*decoded).substr(0, colon);
    std::string_view password = std::string_view(*decoded).substr(colon + 1);
    return domain::auth::from_password(call.db(), email, password, call.client_ip(), call.req.request_id,
                                       call.svc.settings.throttle);
  }
  throw Error(ErrorCode::unauthenticated,
              "use HTTP Basic (e-mail and password) or 'Authorization: Bearer <token>'");
}

void check_version_header(const http::Request& req, bool required) {
  auto v = req.headers.get("X-OpenRosa-Version");
  if (!v) {
    if (required)
      throw Error(ErrorCode::bad_request, "send the header X-OpenRosa-Version: 1.0 (OpenRosa clients do)");
    return;
  }
  std::string_view s = *v;
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s != "1.0")
    throw Error(ErrorCode::bad_request, "X-OpenRosa-Version " + xml_escape(s.substr(0, 20)) +
                                            " is not supported; this server speaks 1.0");
}

void add_headers(http::Response& r) { r.headers.set("X-OpenRosa-Version", "1.0"); }

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    const char ch = s[i];
    switch (ch) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&apos;";
        ++i;
        continue;
      default:
        break;
    }
    std::size_t n = utf8_sequence(s, i);
    const auto b = static_cast<unsigned char>(ch);
    if (n == 0 || (n == 1 && b < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

http::Response xml_response(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.headers.set("Content-Type", "text/xml; charset=utf-8");
  add_headers(r);
  r.body = std::move(body);
  return r;
}

http::Response message_response(int status, std::string_view nature, std::string_view message) {
  return xml_response(status,
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<OpenRosaResponse xmlns=\"http://openrosa.org/http/response\" items=\"0\">"
                      "<message nature=\"" +
                          xml_escape(nature) + "\">" + xml_escape(message) +
                          "</message></OpenRosaResponse>\n");
}

http::Response error_response(const Error& e, const http::Request& req) {
  http::Response r;
  if (wants_problem_json(req)) {
    r = api::problem_response(e, req);
    add_headers(r);
  } else {
    // Collect shows only the message: the field-level details go into it.
    std::string message = e.what();
    for (const auto& d : e.details())
      if (message.find(d.message) == std::string::npos) message += "; " + d.field + ": " + d.message;
    if ((e.code() == ErrorCode::internal || e.code() == ErrorCode::unavailable) &&
        message.find(req.request_id) == std::string::npos)
      message += " (request id " + req.request_id + ")";
    r = message_response(error_info(e.code()).http_status, "error", message);
    r.headers.set("Cache-Control", "no-store");
    if (e.code() == ErrorCode::too_many_requests && e.retry_after_seconds() > 0)
      r.headers.set("Retry-After", std::to_string(e.retry_after_seconds()));
  }
  if (e.code() == ErrorCode::unauthenticated) r.headers.set("WWW-Authenticate", std::string(kChallenge));
  return r;
}

}  // namespace gotong::openrosa
