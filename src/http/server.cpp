// The only translation unit that includes Beast. Layout: small pure helpers (problems, request
// ids, targets, headers), then Connection (one coroutine per socket, on its own strand), then
// Engine (acceptor, io threads, worker pool, registry of connections, graceful shutdown).
//
// Every co_await here is a statement of its own or the initialiser of a variable, never part of
// an if condition, ?: or &&: GCC 12 miscompiled `if (co_await write_response(make_problem(..)))`
// into a crash (a coroutine frame resumed with garbage references).
#include "http/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/json.hpp"
#include "http/gzip.hpp"

namespace gotong::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kStreamPiece = 64 * 1024;     // a streamed body is sent in pieces this big
constexpr std::size_t kReadChunk = 16 * 1024;       // first read of a request
constexpr std::size_t kIdleBufferKeep = 64 * 1024;  // idle connections give back bigger buffers
// After answering an error without reading the body, keep reading (and dropping) for a moment so
// closing with unread data does not reset the connection before the client reads the answer.
constexpr std::size_t kLingerMaxBytes = 1 << 20;
constexpr auto kLingerTime = std::chrono::seconds(1);
// After shutdown_timeout the remaining sockets are closed; if their coroutines still have not
// finished after this, the io loop is stopped outright.
constexpr auto kForceCloseGrace = std::chrono::seconds(2);

// ---------------------------------------------------------------------------------------------
// Problems (RFC 9457) that the server answers by itself.

struct ProblemKind {
  int status;
  std::string_view slug;
  std::string_view title;
};
constexpr ProblemKind kBadRequest{400, "bad-request", "Bad request"};
constexpr ProblemKind kPayloadTooLarge{413, "payload-too-large", "Request body too large"};
constexpr ProblemKind kHeaderTooLarge{431, "request-header-too-large", "Request header fields too large"};
constexpr ProblemKind kInternalError{500, "internal-error", "Internal error"};

Response make_problem(const ProblemKind& kind, std::string_view detail, std::string_view request_id) {
  Response res;
  res.status = kind.status;
  res.headers.set("Content-Type", "application/problem+json");
  std::string& b = res.body;
  b += "{\"type\":";
  json::append_quoted(b, std::string("https://gotong.id/problems/").append(kind.slug));
  b += ",\"title\":";
  json::append_quoted(b, kind.title);
  b += ",\"status\":";
  b += std::to_string(kind.status);
  b += ",\"detail\":";
  json::append_quoted(b, detail);
  b += ",\"request_id\":";
  json::append_quoted(b, request_id);
  b += '}';
  return res;
}

// ---------------------------------------------------------------------------------------------
// Request ids.

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string new_request_id() {
  // Not a secret, only has to be unique enough to find a request in the logs.
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string(buf, 16);
}

// ---------------------------------------------------------------------------------------------
// Request targets.

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes ('+' stays '+': that rule is for query strings). False for a broken
// escape or a NUL byte, which no path of ours contains and which C APIs would truncate.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return false;
    out += c;
  }
  return true;
}

// Splits origin-form ("/a/b?x=1"), absolute-form ("http://host/a?x=1") and asterisk-form ("*")
// targets into the decoded path and the raw query.
bool split_target(std::string_view target, std::string& path, std::string& query) {
  if (target == "*") {
    path = "*";
    query.clear();
    return true;
  }
  if (std::size_t scheme_end = target.find("://");
      !target.starts_with('/') && scheme_end != std::string_view::npos) {
    std::size_t path_start = target.find_first_of("/?", scheme_end + 3);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
    if (target.starts_with('?')) return false;
  }
  if (!target.starts_with('/')) return false;
  target = target.substr(0, target.find('#'));
  std::size_t q = target.find('?');
  query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  return percent_decode(target.substr(0, q), path);
}

// ---------------------------------------------------------------------------------------------
// Headers.

std::string_view to_std(beast::string_view s) { return {s.data(), s.size()}; }

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_valid_field(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name)
    if (!is_tchar(c)) return false;
  // CR, LF and NUL would let a value smuggle in other header fields.
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// True when a comma-separated field value has `token` as one of its elements.
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (iequals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// IMF-fixdate (RFC 9110 §5.6.7), written without strftime so the process locale cannot change it.
std::string http_date(std::time_t t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday % 7], tm.tm_mday,
                     kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const std::string& current_http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    cached = http_date(now);
    cached_at = now;
  }
  return cached;
}

bool is_bodiless_status(int status) { return status == 204 || status == 304; }

// Compresses the body when the client accepts gzip and it is worth it; adds Vary whenever the
// answer depended on Accept-Encoding, so caches keep the two variants apart.
void maybe_compress(Response& res, const Request& req, std::size_t min_bytes) {
  if (res.stream || res.status < 200 || is_bodiless_status(res.status) || res.status == 206) return;
  if (res.body.size() < min_bytes || res.headers.get("Content-Encoding")) return;
  auto type = res.headers.get("Content-Type");
  if (!type || !is_compressible_type(*type)) return;
  auto vary = res.headers.get("Vary");
  if (!vary) {
    res.headers.set("Vary", "Accept-Encoding");
  } else if (!has_token(*vary, "Accept-Encoding") && !has_token(*vary, "*")) {
    res.headers.set("Vary", std::string(*vary) + ", Accept-Encoding");
  }
  auto accept = req.headers.get("Accept-Encoding");
  if (!accept || !accepts_gzip(*accept)) return;
  std::string compressed = gzip_compress(res.body);
  if (compressed.size() >= res.body.size()) return;  // already compressed data (images in JSON)
  res.body = std::move(compressed);
  res.headers.set("Content-Encoding", "gzip");
}

// Runs on a worker thread: builds the response (the handler, or the second half of a deferred
// one), then compresses it (too slow for an io thread on big bodies). Never throws.
Response build_response(const Build& build, const Request& req, std::size_t gzip_min_bytes) noexcept {
  const std::string& request_id = req.request_id;
  Response res;
  try {
    res = build();
  } catch (const std::exception& e) {
    spdlog::error("http: handler threw (request {}): {}", request_id, e.what());
    res = make_problem(kInternalError, "The server failed to handle the request.", request_id);
  } catch (...) {
    spdlog::error("http: handler threw a non-exception (request {})", request_id);
    res = make_problem(kInternalError, "The server failed to handle the request.", request_id);
  }
  if (res.later) return res;  // compressed once the real response is built
  try {
    maybe_compress(res, req, gzip_min_bytes);
  } catch (const std::exception& e) {
    spdlog::warn("http: gzip failed, sending uncompressed (request {}): {}", request_id, e.what());
  }
  return res;
}

enum class StreamStep { more, done, failed };

// Runs on a worker thread: asks the producer for pieces until about kStreamPiece bytes are
// ready, so each chunk written is big enough to be worth a trip between threads.
StreamStep produce_piece(const BodyStream& stream, std::string& piece, std::string_view request_id) noexcept {
  piece.clear();
  try {
    while (piece.size() < kStreamPiece)
      if (!stream(piece)) return StreamStep::done;
    return StreamStep::more;
  } catch (const std::exception& e) {
    spdlog::error("http: body stream threw (request {}): {}", request_id, e.what());
  } catch (...) {
    spdlog::error("http: body stream threw a non-exception (request {})", request_id);
  }
  return StreamStep::failed;
}

// Runs fn() on the pool and resumes the awaiting coroutine on its own executor (the connection's
// strand) with the result. fn must not throw.
template <typename Fn>
asio::awaitable<std::invoke_result_t<Fn&>> on_pool(asio::thread_pool& pool, Fn fn) {
  using T = std::invoke_result_t<Fn&>;
  auto initiation = [&pool](auto handler, Fn f) {
    // Counts as work on the io_context while the coroutine is away, so run() cannot return.
    auto home =
        asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
    asio::post(pool, [handler = std::move(handler), f = std::move(f), home = std::move(home)]() mutable {
      T result = f();
      asio::post(home, [handler = std::move(handler), result = std::move(result)]() mutable {
        std::move(handler)(std::move(result));
      });
    });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(T)>(
      std::move(initiation), asio::use_awaitable, std::move(fn));
}

// Runs the handler on the pool and resumes the awaiting coroutine on its own executor (the
// connection's strand) with the response. A deferred response (http::Later) holds no thread
// while its work runs: the worker registers with the Later and goes back to the pool, and the
// work's finish() posts the build straight to the connection, one hop from the thread that
// ended the work. The Later is not kept here, so if the work drops it unfinished its destructor
// answers with an error instead of leaving the connection waiting forever.
asio::awaitable<Response> respond(asio::thread_pool& pool, const Handler& handler, Request& req,
                                  std::size_t gzip_min_bytes) {
  auto initiation = [&pool, &handler, &req, gzip_min_bytes](auto completion) {
    // Counts as work on the io_context while the coroutine is away, so run() cannot return.
    auto home =
        asio::prefer(asio::get_associated_executor(completion), asio::execution::outstanding_work.tracked);
    asio::post(pool, [&handler, &req, gzip_min_bytes, completion = std::move(completion),
                      home = std::move(home)]() mutable {
      Response res = build_response([&] { return handler(req); }, req, gzip_min_bytes);
      if (!res.later) {
        asio::post(home, [completion = std::move(completion), res = std::move(res)]() mutable {
          std::move(completion)(std::move(res));
        });
        return;
      }
      // std::function needs a copyable callable; the coroutine's completion is move-only.
      auto waiting = std::make_shared<std::optional<decltype(completion)>>(std::move(completion));
      std::shared_ptr<Later> later = std::move(res.later);
      later->on_finish([&req, gzip_min_bytes, waiting, home](Build build) {
        asio::post(home, [&req, gzip_min_bytes, waiting, build = std::move(build)]() mutable {
          Response real = build_response(build, req, gzip_min_bytes);
          if (real.later)
            real = make_problem(kInternalError, "The server failed to handle the request.", req.request_id);
          std::move (**waiting)(std::move(real));
        });
      });
    });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
      std::move(initiation), asio::use_awaitable);
}

void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("http: coroutine failed: {}", ex.what());
  } catch (...) {
    spdlog::error("http: coroutine failed with a non-exception");
  }
}

class Connection;

// Everything the server is; Server::Impl just owns one.
class Engine {
 public:
  Engine(ServerOptions options, Handler handler);
  void listen();
  std::uint16_t port() const { return port_; }
  void run();
  void stop();

  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  asio::thread_pool& pool() { return pool_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void unregister(std::uint64_t id);

 private:
  asio::awaitable<void> accept_loop();
  void start_connection(tcp::socket socket);
  void begin_shutdown();
  void arm_drain_timer(Clock::duration wait, bool final_phase);
  void maybe_finish();
  std::vector<std::shared_ptr<Connection>> live_connections();
  bool no_connections();
  void run_io_thread();

  ServerOptions options_;
  Handler handler_;
  std::mutex mutex_;  // guards connections_ and next_id_
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
  std::uint64_t next_id_ = 0;
  std::atomic<bool> stopping_{false};
  std::uint16_t port_ = 0;
  // Declared after what the coroutines touch, so destroying the io_context (which destroys
  // coroutine frames left behind by a forced stop) happens while those are still alive.
  asio::io_context ioc_;
  asio::thread_pool pool_;
  // The acceptor, signals and shutdown timer live on this strand.
  asio::strand<asio::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
};

// Per-request facts needed to answer and to log.
struct Exchange {
  std::string method = "-";
  std::string target = "-";
  std::string request_id;
  unsigned version = 11;
  bool head = false;
  bool keep_alive = false;
  Clock::time_point started = Clock::now();
};

// One accepted socket. Its coroutine runs on the socket's strand; on_shutdown and force_close
// are posted to the same strand, so nothing here needs a lock.
class Connection {
 public:
  Connection(Engine& engine, tcp::socket socket, std::uint64_t id)
      : engine_(engine), stream_(std::move(socket)), id_(id), accepted_at_(Clock::now()) {
    error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (ec) {
      remote_ip_ = "-";
    } else {
      auto address = endpoint.address();
      if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
      remote_ip_ = address.to_string();
    }
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

  static asio::awaitable<void> run(std::shared_ptr<Connection> self) {
    try {
      co_await self->serve();
    } catch (const std::exception& e) {
      spdlog::error("http: connection from {} failed: {}", self->remote_ip_, e.what());
    } catch (...) {
      spdlog::error("http: connection from {} failed", self->remote_ip_);
    }
    error_code ec;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    self->stream_.socket().close(ec);
    self->engine_.unregister(self->id_);
  }

  // Shutdown: a connection waiting for its next request is closed now; one in the middle of a
  // request notices engine.stopping() when it answers and closes after that.
  void on_shutdown() {
    if (idle_) stream_.cancel();
  }

  void force_close() { stream_.close(); }

 private:
  asio::awaitable<void> serve() {
    bool first = true;
    for (;;) {
      if (engine_.stopping()) co_return;
      if (buffer_.size() == 0) {
        bool arrived = co_await wait_for_request(first);
        if (!arrived) co_return;
      }
      // The first request's head must arrive within header_timeout of the accept (a client that
      // connects and says nothing is treated like one that stops mid-head); later ones get
      // idle_timeout to start and header_timeout from their first byte.
      auto head_deadline = (first ? accepted_at_ : Clock::now()) + engine_.options().header_timeout;
      first = false;
      bool keep_alive = co_await serve_one(head_deadline);
      if (!keep_alive) co_return;
    }
  }

  // Waits for the first bytes of the next request. This is the only "idle" state.
  asio::awaitable<bool> wait_for_request(bool first) {
    if (buffer_.capacity() > kIdleBufferKeep) buffer_.shrink_to_fit();
    if (first) {
      stream_.expires_at(accepted_at_ + engine_.options().header_timeout);
    } else {
      stream_.expires_after(engine_.options().idle_timeout);
    }
    idle_ = true;
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), nothrow_awaitable);
    idle_ = false;
    if (ec) co_return false;  // timeout, peer closed, or shutdown
    buffer_.commit(n);
    co_return true;
  }

  // Reads, handles and answers one request; true when the connection stays open for the next.
  asio::awaitable<bool> serve_one(Clock::time_point head_deadline) {
    const ServerOptions& options = engine_.options();
    Exchange ex;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
    parser.body_limit(boost::none);  // the real limit depends on the head; set below
    stream_.expires_at(head_deadline);
    auto [head_ec, head_n] = co_await bhttp::async_read_header(stream_, buffer_, parser, nothrow_awaitable);
    if (head_ec) {
      co_await answer_read_error(head_ec, ex);
      co_return false;
    }

    auto& msg = parser.get();
    Request req = make_request(msg);
    ex.method = req.method;
    ex.target = req.target;
    ex.request_id = req.request_id;
    ex.version = msg.version() == 10 ? 10 : 11;
    ex.head = msg.method() == bhttp::verb::head;
    if (!split_target(req.target, req.path, req.query)) {
      co_await answer_problem(kBadRequest, "The request target is not a valid path.", ex);
      co_return false;
    }

    std::size_t limit = body_limit_for(req);
    const std::string too_large = too_large_detail(limit);
    auto length = parser.content_length();
    if (length && *length > limit) {
      co_await answer_problem(kPayloadTooLarge, too_large, ex);
      co_return false;
    }
    if (!parser.is_done()) {
      parser.body_limit(limit);
      if (ex.version == 11 && iequals(to_std(msg[bhttp::field::expect]), "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream_.expires_after(options.write_timeout);
        auto [continue_ec, continue_n] =
            co_await asio::async_write(stream_, asio::buffer(kContinue), nothrow_awaitable);
        if (continue_ec) co_return false;
      }
      stream_.expires_after(options.body_timeout);
      auto [body_ec, body_n] = co_await bhttp::async_read(stream_, buffer_, parser, nothrow_awaitable);
      if (body_ec == bhttp::error::body_limit) {
        co_await answer_problem(kPayloadTooLarge, too_large, ex);
        co_return false;
      }
      if (body_ec) {
        co_await answer_read_error(body_ec, ex);
        co_return false;
      }
    }
    stream_.expires_never();
    req.body = std::move(msg.body());
    ex.keep_alive = msg.keep_alive();

    const Handler& handler = engine_.handler();
    std::size_t gzip_min = options.gzip_min_bytes;
    Response res = co_await respond(engine_.pool(), handler, req, gzip_min);
    if (auto c = res.headers.get("Connection"); c && has_token(*c, "close")) ex.keep_alive = false;
    bool ok = false;
    if (res.stream) {
      ok = co_await write_stream(res, ex);
    } else {
      ok = co_await write_response(std::move(res), ex);
    }
    const bool keep_alive = ok && ex.keep_alive;
    co_return keep_alive;
  }

  Request make_request(const bhttp::request<bhttp::string_body>& msg) const {
    Request req;
    req.method = std::string(to_std(msg.method_string()));
    req.target = std::string(to_std(msg.target()));
    for (const auto& field : msg)
      req.headers.add(std::string(to_std(field.name_string())), std::string(to_std(field.value())));
    auto id = req.headers.get("X-Request-Id");
    req.request_id = id && is_sane_request_id(*id) ? std::string(*id) : new_request_id();
    req.remote_ip = remote_ip_;
    return req;
  }

  // The limit comes from the application; it should not throw, but if it does the default
  // limit of a plain API call applies.
  std::size_t body_limit_for(const Request& head) const {
    try {
      if (engine_.options().body_limit) return engine_.options().body_limit(head);
    } catch (const std::exception& e) {
      spdlog::error("http: body_limit threw (request {}): {}", head.request_id, e.what());
    } catch (...) {
      spdlog::error("http: body_limit threw (request {})", head.request_id);
    }
    return std::size_t{1} << 20;
  }

  static std::string too_large_detail(std::size_t limit) {
    return fmt::format("The request body is larger than the {} bytes allowed here.", limit);
  }

  // Answers what can be answered (400, 413, 431); timeouts and clients that went away are
  // simply closed: there is nobody, or no time, to answer.
  asio::awaitable<void> answer_read_error(error_code ec, Exchange& ex) {
    static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_target).category();
    if (ex.request_id.empty()) ex.request_id = new_request_id();
    if (ec == bhttp::error::header_limit) {
      co_await answer_problem(kHeaderTooLarge, "The request head is larger than the server accepts.", ex);
    } else if (ec == bhttp::error::body_limit) {
      co_await answer_problem(kPayloadTooLarge, "The request body is larger than allowed here.", ex);
    } else if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
      co_return;
    } else if (ec.category() == http_category) {
      const std::string detail = "The request is not valid HTTP/1.1: " + ec.message() + ".";
      co_await answer_problem(kBadRequest, detail, ex);
    }
  }

  asio::awaitable<void> answer_problem(const ProblemKind& kind, std::string_view detail, Exchange& ex) {
    if (ex.request_id.empty()) ex.request_id = new_request_id();
    ex.keep_alive = false;
    Response problem = make_problem(kind, detail, ex.request_id);
    bool written = co_await write_response(std::move(problem), ex);
    if (written) co_await linger();
  }

  // Copies the handler's fields (already checked by sendable(); unsafe ones are dropped anyway).
  template <class Message>
  static void copy_fields(const Headers& headers, Message& out) {
    for (const auto& [name, value] : headers.fields()) {
      // Framing and connection management belong to the server.
      if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
          iequals(name, "Connection") || iequals(name, "Keep-Alive"))
        continue;
      if (!is_valid_field(name, value)) continue;
      out.insert(beast::string_view(name.data(), name.size()),
                 beast::string_view(value.data(), value.size()));
    }
  }

  template <class Message>
  void add_server_fields(Message& out, const Exchange& ex) const {
    out.set(bhttp::field::server, "gotong");
    out.set("X-Request-Id", ex.request_id);
    if (out.find(bhttp::field::date) == out.end()) out.set(bhttp::field::date, current_http_date());
    out.keep_alive(ex.keep_alive);
  }

  // Turns a response the server cannot send as is into a 500 problem (a bug in a handler).
  bool sendable(const Response& res, const Exchange& ex) const {
    if (res.status < 200 || res.status > 599) {
      spdlog::error("http: handler returned status {} (request {})", res.status, ex.request_id);
      return false;
    }
    for (const auto& [name, value] : res.headers.fields()) {
      if (!is_valid_field(name, value)) {
        spdlog::error("http: handler returned an invalid header field \"{}\" (request {})", name,
                      ex.request_id);
        return false;
      }
    }
    return true;
  }

  asio::awaitable<bool> write_response(Response res, Exchange& ex) {
    if (!sendable(res, ex))
      res = make_problem(kInternalError, "The server produced an invalid response.", ex.request_id);
    if (engine_.stopping()) ex.keep_alive = false;
    bhttp::response<bhttp::string_body> out;
    out.version(ex.version);
    out.result(static_cast<unsigned>(res.status));
    copy_fields(res.headers, out);
    add_server_fields(out, ex);
    bool bodiless = is_bodiless_status(res.status);
    std::size_t body_bytes = bodiless ? 0 : res.body.size();
    if (!bodiless) out.content_length(body_bytes);
    // HEAD gets the Content-Length of the body it would have had, but no body.
    if (!ex.head && !bodiless) out.body() = std::move(res.body);
    bhttp::response_serializer<bhttp::string_body> serializer(out);
    stream_.expires_after(engine_.options().write_timeout);
    error_code ec;
    if (ex.head || bodiless) {
      auto [header_ec, n] = co_await bhttp::async_write_header(stream_, serializer, nothrow_awaitable);
      ec = header_ec;
    } else {
      auto [message_ec, n] = co_await bhttp::async_write(stream_, serializer, nothrow_awaitable);
      ec = message_ec;
    }
    stream_.expires_never();
    log_access(ex, res.status, ec ? 0 : (ex.head ? 0 : body_bytes));
    co_return !ec;
  }

  // Chunked transfer encoding (HTTP/1.1) or body-until-close (HTTP/1.0); one piece in memory.
  asio::awaitable<bool> write_stream(Response& res, Exchange& ex) {
    if (!sendable(res, ex)) {
      Response problem =
          make_problem(kInternalError, "The server produced an invalid response.", ex.request_id);
      bool written = co_await write_response(std::move(problem), ex);
      co_return written;
    }
    if (engine_.stopping()) ex.keep_alive = false;
    bool chunked = ex.version == 11;
    if (!chunked) ex.keep_alive = false;
    bhttp::response<bhttp::empty_body> out;
    out.version(ex.version);
    out.result(static_cast<unsigned>(res.status));
    copy_fields(res.headers, out);
    add_server_fields(out, ex);
    if (chunked) out.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> serializer(out);
    const auto write_timeout = engine_.options().write_timeout;
    stream_.expires_after(write_timeout);
    auto [head_ec, head_n] = co_await bhttp::async_write_header(stream_, serializer, nothrow_awaitable);
    if (head_ec) co_return false;

    std::uint64_t sent = 0;
    if (!ex.head) {
      std::string piece;
      const BodyStream& producer = res.stream;
      const std::string_view request_id = ex.request_id;
      for (;;) {
        StreamStep step =
            co_await on_pool(engine_.pool(), [&] { return produce_piece(producer, piece, request_id); });
        // A failed producer leaves the body without its last chunk: the client sees it truncated.
        if (step == StreamStep::failed) co_return false;
        if (!piece.empty()) {
          stream_.expires_after(write_timeout);
          error_code ec;
          if (chunked) {
            auto chunk = bhttp::make_chunk(asio::buffer(piece));
            auto [chunk_ec, n] = co_await asio::async_write(stream_, chunk, nothrow_awaitable);
            ec = chunk_ec;
          } else {
            auto [raw_ec, n] = co_await asio::async_write(stream_, asio::buffer(piece), nothrow_awaitable);
            ec = raw_ec;
          }
          if (ec) co_return false;
          sent += piece.size();
        }
        if (step == StreamStep::done) break;
      }
      if (chunked) {
        stream_.expires_after(write_timeout);
        auto last = bhttp::make_chunk_last();
        auto [last_ec, last_n] = co_await asio::async_write(stream_, last, nothrow_awaitable);
        if (last_ec) co_return false;
      }
    }
    stream_.expires_never();
    log_access(ex, res.status, sent);
    co_return true;
  }

  // Closes the sending side, then reads and drops what the client still sends for a moment, so
  // the kernel does not answer its unread body with a reset that destroys our error response.
  asio::awaitable<void> linger() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    stream_.expires_after(kLingerTime);
    std::size_t drained = 0;
    while (drained < kLingerMaxBytes) {
      buffer_.clear();
      auto [read_ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), nothrow_awaitable);
      if (read_ec) break;
      drained += n;
    }
    buffer_.clear();
  }

  void log_access(const Exchange& ex, int status, std::uint64_t bytes) const {
    if (!engine_.options().access_log) return;
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - ex.started).count();
    spdlog::info("{} \"{} {}\" {} {}B {:.1f}ms id={}", remote_ip_, ex.method, redact_target(ex.target),
                 status, bytes, ms, ex.request_id);
  }

  Engine& engine_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::uint64_t id_;
  Clock::time_point accepted_at_;
  std::string remote_ip_;
  bool idle_ = false;
};

Engine::Engine(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      ioc_(),
      pool_(static_cast<std::size_t>(std::max(1, options_.worker_threads))),
      control_(asio::make_strand(ioc_)),
      acceptor_(control_),
      signals_(control_),
      drain_timer_(control_) {}

void Engine::listen() {
  if (acceptor_.is_open()) return;  // already listening; fail() below would close it
  const std::string& host = options_.host;
  auto fail = [&](const error_code& ec) {
    error_code ignored;
    acceptor_.close(ignored);
    return std::runtime_error(fmt::format("cannot listen on {}:{}: {}", host, options_.port, ec.message()));
  };
  error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(host, std::to_string(options_.port), ec);
    if (ec) throw fail(ec);
    if (results.empty()) throw fail(asio::error::host_not_found);
    endpoint = results.begin()->endpoint();
  }
  if (acceptor_.open(endpoint.protocol(), ec); ec) throw fail(ec);
  if (acceptor_.set_option(tcp::acceptor::reuse_address(true), ec); ec) throw fail(ec);
  if (acceptor_.bind(endpoint, ec); ec) throw fail(ec);
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) throw fail(ec);
  auto local = acceptor_.local_endpoint(ec);
  if (ec) throw fail(ec);
  port_ = local.port();
}

void Engine::run() {
  if (!acceptor_.is_open()) listen();
  signals_.add(SIGINT);
  signals_.add(SIGTERM);
  signals_.async_wait(asio::bind_executor(control_, [this](const error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("http: received signal {}", signal);
    begin_shutdown();
  }));
  asio::co_spawn(control_, accept_loop(), log_exception);
  spdlog::info("http: listening on {}:{}", options_.host, port_);

  int n =
      options_.io_threads > 0 ? options_.io_threads : static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { run_io_thread(); });
  run_io_thread();  // the caller is one of the io threads
  for (auto& t : threads) t.join();
  pool_.join();
  spdlog::info("http: stopped");
}

void Engine::run_io_thread() {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: io thread caught: {}", e.what());
    } catch (...) {
      spdlog::error("http: io thread caught a non-exception");
    }
  }
}

void Engine::stop() {
  asio::post(control_, [this] { begin_shutdown(); });
}

asio::awaitable<void> Engine::accept_loop() {
  for (;;) {
    asio::any_io_executor strand = asio::make_strand(ioc_);  // one strand per connection
    auto [ec, socket] = co_await acceptor_.async_accept(strand, nothrow_awaitable);
    if (stopping()) {
      error_code ignored;
      socket.close(ignored);
      co_return;
    }
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      // Out of file descriptors and the like: wait instead of spinning on the error.
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer pause(control_, std::chrono::milliseconds(100));
      co_await pause.async_wait(nothrow_awaitable);
      continue;
    }
    start_connection(std::move(socket));
  }
}

void Engine::start_connection(tcp::socket socket) {
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);  // responses are written whole; do not wait for ACKs
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    auto id = ++next_id_;
    connection = std::make_shared<Connection>(*this, std::move(socket), id);
    connections_.emplace(id, connection);
  }
  asio::co_spawn(connection->executor(), Connection::run(connection), log_exception);
}

void Engine::unregister(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    connections_.erase(id);
  }
  if (stopping()) asio::post(control_, [this] { maybe_finish(); });
}

std::vector<std::shared_ptr<Connection>> Engine::live_connections() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Connection>> live;
  live.reserve(connections_.size());
  for (auto& [id, weak] : connections_)
    if (auto c = weak.lock()) live.push_back(std::move(c));
  return live;
}

bool Engine::no_connections() {
  std::lock_guard lock(mutex_);
  return connections_.empty();
}

// On control_. Stops accepting, closes idle connections and waits for the others; the io threads
// return from run() once nothing is left to do.
void Engine::begin_shutdown() {
  if (stopping_.exchange(true, std::memory_order_acq_rel)) return;
  spdlog::info("http: shutting down; finishing requests in flight");
  error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  signals_.clear(ec);  // a second Ctrl-C gets the default behaviour and ends the process
  auto live = live_connections();
  for (auto& c : live) asio::post(c->executor(), [c] { c->on_shutdown(); });
  if (!live.empty()) arm_drain_timer(options_.shutdown_timeout, false);
}

void Engine::arm_drain_timer(Clock::duration wait, bool final_phase) {
  drain_timer_.expires_after(wait);
  drain_timer_.async_wait([this, final_phase](const error_code& ec) {
    if (ec || no_connections()) return;
    if (!final_phase) {
      auto live = live_connections();
      spdlog::warn("http: {} connections still open after the shutdown timeout; closing them", live.size());
      for (auto& c : live) asio::post(c->executor(), [c] { c->force_close(); });
      arm_drain_timer(kForceCloseGrace, true);
    } else {
      spdlog::error("http: connections did not close; stopping the io loop");
      ioc_.stop();
    }
  });
}

// On control_: once the last connection is gone the pending timer is the only work left;
// cancelling it lets the io threads return.
void Engine::maybe_finish() {
  if (stopping() && no_connections()) drain_timer_.cancel();
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler) : engine(std::move(options), std::move(handler)) {}
  Engine engine;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::listen() { impl_->engine.listen(); }

std::uint16_t Server::port() const { return impl_->engine.port(); }

void Server::run() { impl_->engine.run(); }

void Server::stop() { impl_->engine.stop(); }

}  // namespace gotong::http
