// HTTP request and response as the rest of Gotong sees them: plain values, no Beast types,
// so the router, the API handlers and their tests never compile Boost.Beast templates.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
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
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, without the query
  std::string query;   // raw query string, without '?'
  Headers headers;
  std::string body;
  std::string remote_ip;   // peer address (the proxy's, behind a reverse proxy)
  std::string request_id;  // X-Request-Id from the client when sane, otherwise generated
};

// A producer of a streamed body: appends the next piece to `out` and returns true, or returns
// false at the end. It runs on a worker thread, never on an I/O thread.
using BodyStream = std::function<bool(std::string& out)>;

struct Response;
// Builds a response on a worker thread; may throw (the caller turns that into an error answer).
using Build = std::function<Response()>;

// The answer to a request whose work finishes later on another thread (a submission waiting for
// SQLite's group commit), so no thread sits blocked for it. The work calls finish() once, from
// any thread; the server, having registered with on_finish(), runs the build on the connection's
// I/O thread and sends what it returns: a build only formats the answer (no database, nothing
// slow). The request stays alive until then. Dropped without finish(), the answer is an internal
// error rather than a connection that never hears back.
class Later {
 public:
  Later() = default;
  Later(const Later&) = delete;
  Later& operator=(const Later&) = delete;
  ~Later();
  void finish(Build build);
  // Called with the build once finish() was called, at once when it already was.
  void on_finish(std::function<void(Build)> waiter);

 private:
  std::mutex mutex_;
  Build build_;
  std::function<void(Build)> waiter_;
  bool finished_ = false;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is sent with chunked transfer encoding from this producer instead of
  // `body`, so exports of any size use constant memory.
  BodyStream stream;
  // When set, this response is only a placeholder: the real one comes from `later`.
  std::shared_ptr<Later> later;
};

// The placeholder a handler returns for work that will call later->finish().
Response deferred_response(std::shared_ptr<Later> later);

// Applies `after` to a response: at once, or for one that comes later, to the real one when it
// is built. `after` gets the build so that it can catch what building throws.
void then(Response& response, std::function<Response(const Build&)> after);

// The request target as it may be written to a log: a device token in the path
// ("/key/<token>/openrosa/...") is replaced by "***", so logs do not hand out credentials.
std::string redact_target(std::string_view target);

// Case-insensitive ASCII comparison for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

}  // namespace gotong::http
