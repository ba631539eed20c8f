// Starts a real Server on a loopback port and speaks HTTP/1.1 to it over plain POSIX sockets
// (no Beast here: the client is deliberately dumb, so it checks the bytes on the wire).
#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/gunzip_for_tests.hpp"

namespace gotong::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kStreamBytes = 10 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// What the handler saw, for the tests to inspect.

struct Observed {
  std::mutex mutex;
  std::thread::id handler_thread;
  std::string method;
};
Observed& observed() {
  static Observed o;
  return o;
}

std::string big_json() {
  std::string s = "[";
  for (int i = 0; i < 3000; ++i) s += "{\"desa\":\"Sukamaju\",\"no\":" + std::to_string(i) + "},";
  s += "{}]";
  return s;
}

char stream_byte(std::size_t i) { return static_cast<char>('a' + i % 26); }

Response text(std::string body, int status = 200) {
  Response res;
  res.status = status;
  res.headers.set("Content-Type", "text/plain; charset=utf-8");
  res.body = std::move(body);
  return res;
}

// Responses whose work ends on another thread, as a submission's does after the group commit.
Response deferred(Request& req) {
  auto later = std::make_shared<Later>();
  Response placeholder = deferred_response(later);
  if (req.path == "/later/big") {  // finished before the handler returns: the server registers too late
    later->finish([] {
      Response res = text(big_json());
      res.headers.set("Content-Type", "application/json");
      return res;
    });
  } else if (req.path == "/later/slow") {  // finished by a thread of its own, no worker waiting
    std::thread([later] {
      std::this_thread::sleep_for(300ms);
      later->finish([] { return text("later done"); });
    }).detach();
  } else if (req.path == "/later/throw") {
    std::thread([later] {
      later->finish([]() -> Response { throw std::runtime_error("commit failed"); });
    }).detach();
  } else if (req.path == "/later/dropped") {  // the work ends without an answer
    std::thread([later = std::move(later)]() mutable {
      std::this_thread::sleep_for(50ms);
      later.reset();
    }).detach();
  }
  // Headers added on the way out reach the real response, as the API's and the app's do.
  then(placeholder, [](const Build& build) {
    Response res = build();
    res.headers.set("X-Then", "yes");
    return res;
  });
  return placeholder;
}

Response test_handler(Request& req) {
  {
    std::lock_guard lock(observed().mutex);
    observed().handler_thread = std::this_thread::get_id();
    observed().method = req.method;
  }
  if (req.path == "/big") {
    Response res = text(big_json());
    res.headers.set("Content-Type", "application/json");
    return res;
  }
  if (req.path == "/slow") {
    std::this_thread::sleep_for(300ms);
    return text("slow done");
  }
  if (req.path == "/stream") {
    Response res;
    res.headers.set("Content-Type", "text/csv");
    auto position = std::make_shared<std::size_t>(0);
    res.stream = [position](std::string& out) {
      if (*position >= kStreamBytes) return false;
      std::size_t n = std::min<std::size_t>(1000, kStreamBytes - *position);
      for (std::size_t i = 0; i < n; ++i) out += stream_byte(*position + i);
      *position += n;
      return true;
    };
    return res;
  }
  if (req.path == "/throw") throw std::runtime_error("database exploded");
  if (req.path.rfind("/later/", 0) == 0) return deferred(req);
  if (req.path == "/bad-header") {
    Response res = text("x");
    res.headers.add("X-Evil", "a\r\nSet-Cookie: stolen=1");
    return res;
  }
  if (req.path == "/close") {
    Response res = text("bye");
    res.headers.set("Connection", "close");
    return res;
  }
  std::string body = "method=" + req.method + "\npath=" + req.path + "\nquery=" + req.query +
                     "\nbody=" + req.body + "\nid=" + req.request_id + "\nip=" + req.remote_ip + "\n";
  return text(body);
}

ServerOptions test_options() {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.io_threads = 1;  // then the thread calling run() is the only io thread
  o.worker_threads = 4;
  o.header_timeout = 300ms;
  o.body_timeout = 300ms;
  o.idle_timeout = 500ms;
  o.write_timeout = 5000ms;
  o.body_limit = [](const Request&) { return std::size_t{1024}; };
  o.access_log = false;
  return o;
}

// A Server running in its own thread; stopped and joined on destruction.
class TestServer {
 public:
  explicit TestServer(ServerOptions options = test_options(), Handler handler = test_handler)
      : server_(std::move(options), std::move(handler)) {
    server_.listen();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~TestServer() { stop_and_join(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return server_.port(); }
  std::thread::id run_thread() const { return thread_.get_id(); }
  Server& server() { return server_; }
  void stop_and_join() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

 private:
  Server server_;
  std::thread thread_;
};

// ---------------------------------------------------------------------------------------------
// A blocking loopback client that knows just enough HTTP/1.1 to read responses.

struct Reply {
  std::string status_line;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::size_t chunks = 0;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (iequals(n, name)) return v;
    return std::nullopt;
  }
};

class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error(std::string("connect failed: ") + std::strerror(errno));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    set_timeout(5000ms);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  Reply get(std::string_view target, std::string extra_headers = "") {
    send("GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n");
    return read_reply();
  }

  Reply read_reply(bool head_request = false) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) throw std::runtime_error("connection closed before a response head");
    Reply r;
    std::istringstream head(buf_.substr(0, end + 2));
    buf_.erase(0, end + 4);
    std::string line;
    std::getline(head, line);
    r.status_line = line.substr(0, line.size() - 1);
    r.status = std::stoi(r.status_line.substr(9, 3));
    while (std::getline(head, line) && line.size() > 1) {
      line.pop_back();  // '\r'
      auto colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(line.substr(0, colon), value);
    }
    if (head_request || r.status / 100 == 1 || r.status == 204 || r.status == 304) return r;
    if (auto te = r.header("Transfer-Encoding"); te && *te == "chunked") {
      read_chunks(r);
    } else if (auto cl = r.header("Content-Length")) {
      r.body = take(std::stoull(*cl));
    } else {
      while (fill()) {
      }
      r.body = std::move(buf_);
      buf_.clear();
    }
    return r;
  }

  // True when the server closes (or resets) the connection within `wait`; data is ignored.
  bool closed_within(std::chrono::milliseconds wait) {
    auto deadline = Clock::now() + wait;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms) return false;
      set_timeout(left);
      char c[4096];
      ssize_t n = ::recv(fd_, c, sizeof c, 0);
      if (n == 0) return true;
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        if (errno == EINTR) continue;
        return true;  // ECONNRESET and friends
      }
    }
  }

 private:
  void set_timeout(std::chrono::milliseconds t) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(t.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
    if (tv.tv_sec == 0 && tv.tv_usec == 0) tv.tv_usec = 1000;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  bool fill() {
    char chunk[65536];
    for (;;) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buf_.append(chunk, static_cast<std::size_t>(n));
        return true;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        throw std::runtime_error("timed out waiting for the server");
      return false;
    }
  }

  std::string take(std::size_t n) {
    while (buf_.size() < n)
      if (!fill()) throw std::runtime_error("connection closed inside a body");
    std::string out = buf_.substr(0, n);
    buf_.erase(0, n);
    return out;
  }

  std::string take_line() {
    std::size_t end;
    while ((end = buf_.find("\r\n")) == std::string::npos)
      if (!fill()) throw std::runtime_error("connection closed inside a chunk header");
    std::string line = buf_.substr(0, end);
    buf_.erase(0, end + 2);
    return line;
  }

  void read_chunks(Reply& r) {
    for (;;) {
      std::size_t size = std::stoull(take_line(), nullptr, 16);
      if (size == 0) {
        while (!take_line().empty()) {  // trailers, then the empty line
        }
        return;
      }
      r.body += take(size);
      ++r.chunks;
      if (!take_line().empty()) throw std::runtime_error("chunk not followed by CRLF");
    }
  }

  int fd_ = -1;
  std::string buf_;
};

using testing::gunzip;

// The value of "key=" on its own line of the /echo body.
std::string echo_field(const std::string& body, const std::string& key) {
  std::string prefix = key + "=";
  std::size_t at = body.starts_with(prefix) ? 0 : body.find("\n" + prefix);
  if (at == std::string::npos) return "<missing>";
  if (at != 0) ++at;
  std::size_t start = at + prefix.size();
  return body.substr(start, body.find('\n', start) - start);
}

bool is_hex16(const std::string& s) {
  return s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void expect_problem(const Reply& r, int status, std::string_view slug) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_NE(r.body.find("\"type\":\"https://gotong.id/problems/" + std::string(slug) + "\""),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("\"status\":" + std::to_string(status)), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"title\":\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"detail\":\""), std::string::npos) << r.body;
  auto id = r.header("X-Request-Id");
  ASSERT_TRUE(id.has_value());
  EXPECT_NE(r.body.find("\"request_id\":\"" + *id + "\""), std::string::npos) << r.body;
}

// ---------------------------------------------------------------------------------------------

TEST(HttpServer, ListensOnAPickedPort) {
  TestServer s;
  EXPECT_NE(s.port(), 0);
}

TEST(HttpServer, ListenFailureNamesTheAddress) {
  TestServer s;
  ServerOptions o = test_options();
  o.port = s.port();  // already taken by a listening socket
  Server second(o, test_handler);
  try {
    second.listen();
    FAIL() << "listen on a taken port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(s.port()) + ": "),
              std::string::npos)
        << e.what();
  }
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  TestServer s;
  Client c(s.port());
  Reply a = c.get("/echo");
  EXPECT_EQ(a.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(echo_field(a.body, "path"), "/echo");
  EXPECT_EQ(echo_field(a.body, "ip"), "127.0.0.1");
  EXPECT_EQ(a.header("Server").value_or(""), "gotong");
  EXPECT_TRUE(a.header("Date").has_value());
  EXPECT_EQ(a.header("Content-Length").value_or(""), std::to_string(a.body.size()));
  EXPECT_FALSE(a.header("Connection").has_value());  // HTTP/1.1 keeps alive by default
  Reply b = c.get("/echo?second=1");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(echo_field(b.body, "query"), "second=1");
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  TestServer s;
  Client c(s.port());
  c.send("GET /echo?n=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?n=2 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(echo_field(c.read_reply().body, "query"), "n=1");
  EXPECT_EQ(echo_field(c.read_reply().body, "query"), "n=2");
}

TEST(HttpServer, HandlerRunsOnAWorkerThread) {
  TestServer s;
  Client c(s.port());
  ASSERT_EQ(c.get("/echo").status, 200);
  std::lock_guard lock(observed().mutex);
  EXPECT_NE(observed().handler_thread, std::thread::id());
  EXPECT_NE(observed().handler_thread, s.run_thread());  // io_threads = 1: run()'s thread is the io thread
  EXPECT_NE(observed().handler_thread, std::this_thread::get_id());
}

TEST(HttpServer, SlowHandlerDoesNotBlockOtherConnections) {
  TestServer s;  // a single io thread
  Client slow(s.port());
  slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(50ms);
  Client fast(s.port());
  auto start = Clock::now();
  EXPECT_EQ(fast.get("/echo").status, 200);
  EXPECT_LT(Clock::now() - start, 200ms);
  EXPECT_EQ(slow.read_reply().body, "slow done");
}

TEST(HttpServer, DeferredResponsesHoldNoWorkerWhileTheirWorkRuns) {
  ServerOptions o = test_options();
  o.worker_threads = 1;
  TestServer s(o);
  std::vector<std::unique_ptr<Client>> waiting;
  auto start = Clock::now();
  for (int i = 0; i < 3; ++i) {
    waiting.push_back(std::make_unique<Client>(s.port()));
    waiting.back()->send("GET /later/slow HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  std::this_thread::sleep_for(50ms);
  Client fast(s.port());
  EXPECT_EQ(fast.get("/echo").status, 200);
  EXPECT_LT(Clock::now() - start, 250ms);  // the single worker is free while three answers wait
  for (auto& c : waiting) {
    Reply r = c->read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "later done");
    EXPECT_EQ(r.header("X-Then").value_or(""), "yes");
  }
  EXPECT_LT(Clock::now() - start, 800ms);  // waited side by side, not one after another (900 ms)
}

TEST(HttpServer, DeferredResponseFinishedEarlyIsCompressedAndKeepsTheConnection) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("/later/big", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(r.header("X-Then").value_or(""), "yes");
  EXPECT_EQ(gunzip(r.body), big_json());
  EXPECT_EQ(c.get("/echo").status, 200);  // the same keep-alive connection
}

TEST(HttpServer, DeferredWorkThatFailsOrDropsItsAnswerGives500) {
  TestServer s;
  Client c(s.port());
  Reply thrown = c.get("/later/throw");
  EXPECT_EQ(thrown.status, 500);
  EXPECT_EQ(thrown.header("Content-Type").value_or(""), "application/problem+json");
  Reply dropped = c.get("/later/dropped");
  EXPECT_EQ(dropped.status, 500);
  EXPECT_EQ(c.get("/echo").status, 200);
}

TEST(HttpServer, DecodesThePathAndKeepsTheRawQuery) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("/desa/Suka%20Maju/%C3%A9?x=1%202&y=%2F&z=a+b");
  EXPECT_EQ(echo_field(r.body, "path"), "/desa/Suka Maju/\xC3\xA9");
  EXPECT_EQ(echo_field(r.body, "query"), "x=1%202&y=%2F&z=a+b");
  Reply plus = c.get("/a+b%2Fc");
  EXPECT_EQ(echo_field(plus.body, "path"), "/a+b/c");
  EXPECT_EQ(echo_field(plus.body, "query"), "");
}

TEST(HttpServer, AcceptsAbsoluteFormTargets) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("http://example.org/x%41?q=1");
  EXPECT_EQ(echo_field(r.body, "path"), "/xA");
  EXPECT_EQ(echo_field(r.body, "query"), "q=1");
}

TEST(HttpServer, RejectsBadPercentEncodingAndNul) {
  TestServer s;
  for (const char* target : {"/a%2", "/a%zzb", "/a%00b", "/%", "relative"}) {
    Client c(s.port());
    Reply r = c.get(target);
    expect_problem(r, 400, "bad-request");
    EXPECT_EQ(r.header("Connection").value_or(""), "close") << target;
    EXPECT_TRUE(c.closed_within(2000ms)) << target;
  }
}

TEST(HttpServer, MalformedRequestIs400) {
  TestServer s;
  for (const char* raw : {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n",
                          "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
                          "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    Client c(s.port());
    c.send(raw);
    Reply r = c.read_reply();
    expect_problem(r, 400, "bad-request");
    EXPECT_TRUE(c.closed_within(2000ms)) << raw;
  }
}

TEST(HttpServer, BodyWithinTheLimitReachesTheHandler) {
  TestServer s;
  Client c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  Reply r = c.read_reply();
  EXPECT_EQ(echo_field(r.body, "method"), "POST");
  EXPECT_EQ(echo_field(r.body, "body"), "hello");
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_EQ(echo_field(c.read_reply().body, "body"), "abcde");
}

TEST(HttpServer, AnswersExpectContinue) {
  TestServer s;
  Client c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  Reply interim = c.read_reply();
  EXPECT_EQ(interim.status, 100);
  c.send("abc");
  EXPECT_EQ(echo_field(c.read_reply().body, "body"), "abc");
}

TEST(HttpServer, ContentLengthAboveTheLimitIs413WithoutReadingTheBody) {
  TestServer s;
  Client c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nX-Request-Id: upload-1\r\n\r\n");
  Reply r = c.read_reply();  // the body was never sent: the answer cannot wait for it
  expect_problem(r, 413, "payload-too-large");
  EXPECT_EQ(r.header("X-Request-Id").value_or(""), "upload-1");
  EXPECT_EQ(r.header("Connection").value_or(""), "close");
  EXPECT_NE(r.body.find("1024"), std::string::npos) << r.body;
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, ChunkedBodyAboveTheLimitIs413) {
  TestServer s;
  Client c(s.port());
  std::string piece(800, 'x');
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + piece +
         "\r\n320\r\n" + piece + "\r\n0\r\n\r\n");
  expect_problem(c.read_reply(), 413, "payload-too-large");
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, BodyLimitDependsOnTheRequestHead) {
  ServerOptions o = test_options();
  o.body_limit = [](const Request& head) {
    EXPECT_TRUE(head.body.empty());
    return head.path == "/upload" ? std::size_t{100'000} : std::size_t{10};
  };
  TestServer s(o);
  Client c(s.port());
  std::string body(50'000, 'u');
  c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 50000\r\n\r\n" + body);
  EXPECT_EQ(c.read_reply().status, 200);
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n");
  EXPECT_EQ(c.read_reply().status, 413);
}

TEST(HttpServer, HeaderTooLargeIs431) {
  TestServer s;
  Client c(s.port());
  c.send("GET /echo HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20'000, 'b') + "\r\n\r\n");
  expect_problem(c.read_reply(), 431, "request-header-too-large");
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, HalfARequestHeadIsClosedAfterTheHeaderTimeout) {
  TestServer s;
  Client c(s.port());
  auto start = Clock::now();
  c.send("GET /echo HTTP/1.1\r\nHost: t\r\n");
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_GE(Clock::now() - start, 250ms);
}

TEST(HttpServer, TricklingHeadIsClosedAfterTheHeaderTimeout) {
  TestServer s;
  Client c(s.port());
  auto start = Clock::now();
  // One byte every 100 ms: each read makes progress, but the whole head has a deadline.
  std::string head = "GET /echo HTTP/1.1\r\nHost: t\r\n";
  bool closed = false;
  for (char ch : head) {
    try {
      c.send(std::string_view(&ch, 1));
    } catch (const std::runtime_error&) {
      closed = true;
      break;
    }
    if (c.closed_within(100ms)) {
      closed = true;
      break;
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, 2000ms);
}

TEST(HttpServer, SilentConnectionIsClosed) {
  TestServer s;
  Client c(s.port());
  auto start = Clock::now();
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_GE(Clock::now() - start, 250ms);
}

TEST(HttpServer, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  TestServer s;
  Client c(s.port());
  ASSERT_EQ(c.get("/echo").status, 200);
  auto start = Clock::now();
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_GE(Clock::now() - start, 400ms);
}

TEST(HttpServer, HalfABodyIsClosedAfterTheBodyTimeout) {
  TestServer s;
  Client c(s.port());
  auto start = Clock::now();
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly ten b");
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_GE(Clock::now() - start, 250ms);
}

TEST(HttpServer, GzipsLargeCompressibleBodiesWhenAccepted) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("/big", "Accept-Encoding: br, gzip\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(r.header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_LT(r.body.size(), big_json().size() / 4);
  EXPECT_EQ(gunzip(r.body), big_json());
}

TEST(HttpServer, DoesNotGzipWhenRefusedOrSmall) {
  TestServer s;
  Client c(s.port());
  Reply refused = c.get("/big", "Accept-Encoding: gzip;q=0, deflate\r\n");
  EXPECT_FALSE(refused.header("Content-Encoding").has_value());
  EXPECT_EQ(refused.header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_EQ(refused.body, big_json());
  Reply none = c.get("/big");
  EXPECT_FALSE(none.header("Content-Encoding").has_value());
  EXPECT_EQ(none.body, big_json());
  Reply small = c.get("/echo", "Accept-Encoding: gzip\r\n");
  EXPECT_FALSE(small.header("Content-Encoding").has_value());
}

TEST(HttpServer, HeadSendsTheLengthButNoBody) {
  TestServer s;
  Client c(s.port());
  c.send("HEAD /big HTTP/1.1\r\nHost: t\r\n\r\n");
  Reply head = c.read_reply(/*head_request=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length").value_or(""), std::to_string(big_json().size()));
  {
    std::lock_guard lock(observed().mutex);
    EXPECT_EQ(observed().method, "HEAD");
  }
  // Had any body bytes followed the head, this response would not parse.
  Reply next = c.get("/echo");
  EXPECT_EQ(next.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(echo_field(next.body, "method"), "GET");
}

TEST(HttpServer, StreamsTenMegabytesChunked) {
  ServerOptions o = test_options();
  // The idle clock starts when the server has written the last chunk into the socket buffers,
  // which can be long before a slow (sanitized) client has read them all.
  o.idle_timeout = 10'000ms;
  TestServer s(o);
  Client c(s.port());
  Reply r = c.get("/stream", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Transfer-Encoding").value_or(""), "chunked");
  EXPECT_FALSE(r.header("Content-Length").has_value());
  EXPECT_FALSE(r.header("Content-Encoding").has_value());
  EXPECT_EQ(r.header("Content-Type").value_or(""), "text/csv");
  ASSERT_EQ(r.body.size(), kStreamBytes);
  EXPECT_GT(r.chunks, 100u);  // about 64 KiB each
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < r.body.size(); ++i) wrong += r.body[i] != stream_byte(i);
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(c.get("/echo").status, 200);  // still keep-alive after the last chunk
}

TEST(HttpServer, Http10WithoutKeepAliveCloses) {
  TestServer s;
  Client c(s.port());
  c.send("GET /echo HTTP/1.0\r\n\r\n");
  Reply r = c.read_reply();
  EXPECT_EQ(r.status_line, "HTTP/1.0 200 OK");
  EXPECT_TRUE(c.closed_within(2000ms));
}

TEST(HttpServer, Http10KeepAliveStaysOpen) {
  TestServer s;
  Client c(s.port());
  c.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  Reply r = c.read_reply();
  EXPECT_EQ(r.header("Connection").value_or(""), "keep-alive");
  c.send("GET /echo HTTP/1.0\r\n\r\n");
  EXPECT_EQ(c.read_reply().status, 200);
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("/echo", "Connection: close\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Connection").value_or(""), "close");
  EXPECT_TRUE(c.closed_within(2000ms));
  Client d(s.port());
  Reply by_handler = d.get("/close");
  EXPECT_EQ(by_handler.header("Connection").value_or(""), "close");
  EXPECT_TRUE(d.closed_within(2000ms));
}

TEST(HttpServer, EchoesOrGeneratesTheRequestId) {
  TestServer s;
  Client c(s.port());
  Reply given = c.get("/echo", "X-Request-Id: abc-123_x.Y\r\n");
  EXPECT_EQ(given.header("X-Request-Id").value_or(""), "abc-123_x.Y");
  EXPECT_EQ(echo_field(given.body, "id"), "abc-123_x.Y");

  for (const std::string& bad : {std::string("bad id!"), std::string(65, 'a'), std::string("a/b")}) {
    Reply r = c.get("/echo", "X-Request-Id: " + bad + "\r\n");
    std::string id = r.header("X-Request-Id").value_or("");
    EXPECT_TRUE(is_hex16(id)) << id;
    EXPECT_EQ(echo_field(r.body, "id"), id);
  }
  Reply a = c.get("/echo");
  Reply b = c.get("/echo");
  EXPECT_TRUE(is_hex16(a.header("X-Request-Id").value_or(""))) << *a.header("X-Request-Id");
  EXPECT_NE(a.header("X-Request-Id"), b.header("X-Request-Id"));
  EXPECT_EQ(
      c.get("/echo", "X-Request-Id: " + std::string(64, 'z') + "\r\n").header("X-Request-Id").value_or(""),
      std::string(64, 'z'));
}

TEST(HttpServer, ThrowingHandlerGives500Problem) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("/throw", "X-Request-Id: boom\r\n");
  expect_problem(r, 500, "internal-error");
  EXPECT_EQ(r.body.find("exploded"), std::string::npos);  // internals stay in the log
  EXPECT_EQ(c.get("/echo").status, 200);                  // the connection survives
}

TEST(HttpServer, UnsafeHandlerHeaderGives500) {
  TestServer s;
  Client c(s.port());
  Reply r = c.get("/bad-header");
  expect_problem(r, 500, "internal-error");
  EXPECT_FALSE(r.header("Set-Cookie").has_value());
}

TEST(HttpServer, StopDeliversTheResponseInFlightAndClosesIdleConnections) {
  TestServer s;
  Client idle(s.port());
  ASSERT_EQ(idle.get("/echo").status, 200);
  Client busy(s.port());
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(100ms);  // the handler is sleeping now
  auto start = Clock::now();
  s.server().stop();
  EXPECT_TRUE(idle.closed_within(1000ms));
  Reply r = busy.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.header("Connection").value_or(""), "close");
  EXPECT_TRUE(busy.closed_within(1000ms));
  s.stop_and_join();  // run() returns
  EXPECT_LT(Clock::now() - start, 3000ms);
  EXPECT_THROW({ Client late(s.port()); }, std::runtime_error);  // no longer listening
}

TEST(HttpServer, StopFinishesReadingARequestInFlight) {
  TestServer s;
  Client c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf ");
  std::this_thread::sleep_for(50ms);
  s.server().stop();
  std::this_thread::sleep_for(50ms);
  c.send("body!");
  Reply r = c.read_reply();
  EXPECT_EQ(echo_field(r.body, "body"), "half body!");
  EXPECT_EQ(r.header("Connection").value_or(""), "close");
}

TEST(HttpServer, StopBeforeRunReturnsPromptly) {
  Server server(test_options(), test_handler);
  server.listen();
  server.stop();
  auto start = Clock::now();
  server.run();
  EXPECT_LT(Clock::now() - start, 1000ms);
}

TEST(HttpServer, ShutdownTimeoutBoundsTheWait) {
  ServerOptions o = test_options();
  o.shutdown_timeout = 100ms;
  o.body_timeout = 10'000ms;
  TestServer s(o);
  Client c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf ");  // and never the rest
  std::this_thread::sleep_for(50ms);
  auto start = Clock::now();
  s.stop_and_join();
  EXPECT_LT(Clock::now() - start, 2000ms);
  EXPECT_TRUE(c.closed_within(1000ms));
}

TEST(HttpServer, WritesOneAccessLogLinePerRequest) {
  auto out = std::make_shared<std::ostringstream>();
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*out)));
  {
    ServerOptions o = test_options();
    o.access_log = true;
    TestServer s(o);
    Client c(s.port());
    ASSERT_EQ(c.get("/echo?x=1", "X-Request-Id: log-me\r\n").status, 200);
  }
  spdlog::set_default_logger(previous);
  std::string log = out->str();
  EXPECT_NE(log.find("127.0.0.1 \"GET /echo?x=1\" 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("ms id=log-me"), std::string::npos) << log;
}

TEST(HttpServer, ManyConcurrentClients) {
  ServerOptions o = test_options();
  o.io_threads = 2;
  TestServer s(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      try {
        Client c(s.port());
        for (int i = 0; i < 25; ++i) {
          Reply r = c.get("/echo?t=" + std::to_string(t) + "&i=" + std::to_string(i));
          if (echo_field(r.body, "query") == "t=" + std::to_string(t) + "&i=" + std::to_string(i)) ++ok;
        }
      } catch (const std::exception&) {
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 200);
}

}  // namespace
}  // namespace gotong::http
