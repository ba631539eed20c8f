// HTTP request and response as the rest of Gotong sees them: plain values, no Beast types,
// so the router, the API handlers and their tests never compile Boost.Beast templates.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotong::http {

// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  void add(std::string name, std::string value);
  // Replaces every field called `name` with one field.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  std::string method;      // "GET", "POST", ...
  std::string target;      // as sent: path and query
  std::string path;        // percent-decoded path, without the query
  std::string query;       // raw query string, without '?'
  Headers headers;
  std::string body;
  std::string remote_ip;   // peer address (the proxy's, behind a reverse proxy)
  std::string request_id;  // X-Request-Id from the client when sane, otherwise generated
};

// A producer of a streamed body: appends the next piece to `out` and returns true, or returns
// false at the end. It runs on a worker thread, never on an I/O thread.
using BodyStream = std::function<bool(std::string& out)>;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is sent with chunked transfer encoding from this producer instead of
  // `body`, so exports of any size use constant memory.
  BodyStream stream;
};

// The request target as it may be written to a log: a device token in the path
// ("/key/<token>/openrosa/...") is replaced by "***", so logs do not hand out credentials.
std::string redact_target(std::string_view target);

// Case-insensitive ASCII comparison for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

}  // namespace gotong::http
