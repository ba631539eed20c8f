// Ingestion load generator: how many OpenRosa submissions per second one `gotong serve` stores,
// and how long each waits. By default it starts its own server on a temporary SQLite database
// (org, admin user and API token made with the CLI), uploads and publishes the demo's household
// survey (40 questions, a repeat), then runs `--clients` threads, each with one keep-alive
// connection (plain sockets, hand-written HTTP/1.1), posting multipart submissions with unique
// instanceIDs for `--seconds`. At the end it checks that the server stored exactly as many
// submissions as it answered 201. The issue asks for >= 10,000/s with p99 < 50 ms. With
// --indicators a program with four indicators on the form is made first, so each submission
// also updates their values; at the end a full recomputation must find no difference.
//
// Run: build/release/bench_ingest [--seconds 10] [--clients 32] [--route openrosa|api|health]
//      [--workers N] [--io-threads N] [--database postgresql://.../empty_db [--servers 2]] [--indicators]
//   or only the pure pipeline (no server), N passes over the demo's submissions: --pipeline N
//   or against a running server: --url http://127.0.0.1:8080 --org ORG --token TOKEN --form-id ID
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/crypto.hpp"
#include "domain/demo_survey.hpp"
#include "forms/xform/record.hpp"
#include "forms/xform/schema.hpp"
#include "forms/xform/submission.hpp"
#include "forms/xlsform/convert.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Args {
  double seconds = 10;
  int clients = 32;
  std::string route = "openrosa";                  // or "api": POST /api/v1/orgs/{org}/forms/{id}/submissions,
                                                   // or "health": GET /api/v1/health, the cheapest request
                                                   // (HTTP and one read transaction): the server's floor
  int workers = 0, io_threads = 0;                 // passed to `gotong serve` when set
  std::string url, org = "bench", token, form_id;  // external server
  bool keep = false;                               // keep the temporary directory (database, server log)
  std::string database;                            // an empty database for the started servers ("" = SQLite)
  int servers = 1;                                 // app processes on that database; clients alternate
  bool indicators = false;                         // a program with indicators on the form, kept up to date
  int pipeline_passes = 0;                         // --pipeline N: only the pure pipeline, N passes
};

[[noreturn]] void die(const std::string& message) {
  std::cerr << "bench_ingest: " << message << "\n";
  std::exit(1);
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + k);
      return argv[++i];
    };
    if (k == "--seconds")
      a.seconds = std::stod(value());
    else if (k == "--clients")
      a.clients = std::stoi(value());
    else if (k == "--route")
      a.route = value();
    else if (k == "--workers")
      a.workers = std::stoi(value());
    else if (k == "--io-threads")
      a.io_threads = std::stoi(value());
    else if (k == "--url")
      a.url = value();
    else if (k == "--org")
      a.org = value();
    else if (k == "--token")
      a.token = value();
    else if (k == "--form-id")
      a.form_id = value();
    else if (k == "--keep")
      a.keep = true;
    else if (k == "--database")
      a.database = value();
    else if (k == "--servers")
      a.servers = std::stoi(value());
    else if (k == "--indicators")
      a.indicators = true;
    else if (k == "--pipeline")
      a.pipeline_passes = std::stoi(value());
    else
      die("unknown argument " + k + " (see the comment at the top of bench/ingest_bench.cpp)");
  }
  if (a.route != "openrosa" && a.route != "api" && a.route != "health") die("--route is openrosa, api or health");
  if (!a.url.empty() && (a.token.empty() || a.form_id.empty())) die("--url needs --token and --form-id");
  if (a.servers < 1 || (a.servers > 1 && a.database.rfind("postgres", 0) != 0))
    die("--servers N > 1 needs --database postgresql://... (several processes share one PostgreSQL)");
  return a;
}

// ---- A minimal HTTP/1.1 client: one keep-alive connection, one request at a time. ----

struct Response {
  int status = 0;
  std::string body;
};

class Connection {
 public:
  Connection(std::string host, int port) : host_(std::move(host)), port_(port) {}
  ~Connection() { close_socket(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends a complete request and reads the answer; reconnects once when a kept-alive connection
  // was closed by the server in between.
  Response exchange(const std::string& request) {
    for (int attempt = 0;; ++attempt) {
      if (fd_ < 0) open_socket();
      if (send_all(request)) {
        Response r;
        if (read_response(r)) return r;
      }
      close_socket();
      if (attempt == 1) throw std::runtime_error("the server closed the connection");
    }
  }

 private:
  void open_socket() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1)
      throw std::runtime_error("bad host " + host_);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close_socket();
      throw std::runtime_error("cannot connect to " + host_ + ":" + std::to_string(port_));
    }
    buffer_.clear();
  }
  void close_socket() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send_all(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool fill() {
    char chunk[16384];
    for (;;) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
  }
  static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  bool read_response(Response& r) {
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return false;
    std::string head = buffer_.substr(0, head_end);
    buffer_.erase(0, head_end + 4);
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) throw std::runtime_error("not an HTTP answer");
    r.status = std::stoi(head.substr(9, 3));
    std::optional<std::size_t> length;
    bool chunked = false, close_after = false;
    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = lower(line.substr(0, colon)), value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "content-length") length = std::stoul(value);
      if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) chunked = true;
      if (name == "connection" && lower(value) == "close") close_after = true;
    }
    if (chunked) {
      for (;;) {
        std::size_t eol;
        while ((eol = buffer_.find("\r\n")) == std::string::npos)
          if (!fill()) return false;
        std::size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
        while (buffer_.size() < eol + 2 + size + 2)
          if (!fill()) return false;
        r.body.append(buffer_, eol + 2, size);
        buffer_.erase(0, eol + 2 + size + 2);
        if (size == 0) break;
      }
    } else {
      std::size_t n = length.value_or(0);
      while (buffer_.size() < n)
        if (!fill()) return false;
      r.body = buffer_.substr(0, n);
      buffer_.erase(0, n);
    }
    if (close_after) close_socket();
    return true;
  }

  std::string host_;
  int port_;
  int fd_ = -1;
  std::string buffer_;
};

std::string request(const std::string& method, const std::string& target, const std::string& host,
                    const std::string& token, const std::string& content_type, const std::string& body,
                    const std::string& extra_headers = "") {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  r += extra_headers;
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  r += body;
  return r;
}

constexpr const char* kBoundary = "----gotong-bench-7MA4YWxkTrZu0gW";

std::string multipart(const std::string& field, const std::string& file_name, const std::string& type,
                      std::string_view content) {
  std::string b = std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + field +
                  "\"; filename=\"" + file_name + "\"\r\nContent-Type: " + type + "\r\n\r\n";
  b += content;
  b += std::string("\r\n--") + kBoundary + "--\r\n";
  return b;
}

// ---- Starting our own server. ----

std::string run_capture(const std::string& command, const std::string& input = "") {
  std::string cmd = command + " 2>/dev/null";
  if (!input.empty()) {
    FILE* p = ::popen(cmd.c_str(), "w");
    if (!p) die("cannot run " + command);
    std::fwrite(input.data(), 1, input.size(), p);
    if (::pclose(p) != 0) die("failed: " + command);
    return {};
  }
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) die("cannot run " + command);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (::pclose(p) != 0) die("failed: " + command);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// utime + stime of a process in seconds (from /proc), to tell the server's CPU from ours.
double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close_paren + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Server {
  pid_t pid = -1;  // the first process (the others are in `more`)
  fs::path dir;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string token, org = "bench", form_id;
  std::vector<std::pair<pid_t, int>> more;  // further processes on the same database: pid, port
  int port_for(int client) const {
    int n = client % (1 + static_cast<int>(more.size()));
    return n == 0 ? port : more[static_cast<std::size_t>(n - 1)].second;
  }
};

std::string json_string(const std::string& body, const char* key) {
  auto v = boost::json::parse(body);
  if (!v.is_object() || !v.as_object().contains(key))
    die(std::string("no '") + key + "' in " + body.substr(0, 300));
  const auto& x = v.as_object().at(key);
  return x.is_string() ? std::string(x.as_string()) : boost::json::serialize(x);
}

Server start_server(const Args& a) {
  Server s;
  s.dir = fs::temp_directory_path() / ("gotong-bench-ingest-" + std::to_string(::getpid()));
  fs::remove_all(s.dir);
  fs::create_directories(s.dir);
  const std::string bin = GOTONG_BIN;
  const std::string db = a.database.empty() ? "sqlite:" + (s.dir / "g.db").string() : a.database;
  run_capture(bin + " org add --database " + db + " --slug bench --name Bench");
  run_capture(bin + " user add --database " + db +
                  " --org bench --email bench@example.org --role admin --password-stdin",
              "bench-password-1234\n");
  s.token = run_capture(bin + " token create --database " + db + " --user bench@example.org --name bench");
  if (s.token.empty()) die("no token from `gotong token create`");

  auto spawn = [&](int index) -> std::pair<pid_t, int> {
    int port = free_port();
    std::vector<std::string> argv_s = {bin,          "serve", "--listen", "127.0.0.1:" + std::to_string(port),
                                       "--database", db,      "--quiet",  "--attachments",
                                       (s.dir / "attachments").string()};
    if (a.workers > 0) argv_s.insert(argv_s.end(), {"--workers", std::to_string(a.workers)});
    if (a.io_threads > 0) argv_s.insert(argv_s.end(), {"--io-threads", std::to_string(a.io_threads)});
    const std::string log = (s.dir / ("server" + std::to_string(index) + ".log")).string();
    pid_t pid = ::fork();
    if (pid == 0) {
      std::FILE* out = std::fopen(log.c_str(), "w");
      if (out) {
        ::dup2(::fileno(out), 1);
        ::dup2(::fileno(out), 2);
      }
      std::vector<char*> argv;
      for (auto& x : argv_s) argv.push_back(x.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      std::_Exit(127);
    }
    for (int i = 0;; ++i) {
      try {
        Connection c(s.host, port);
        if (c.exchange(request("GET", "/api/v1/health", s.host, "", "", "")).status == 200) break;
      } catch (const std::exception&) {
      }
      if (i > 1500) die("the server did not start; see " + log);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {pid, port};
  };
  std::tie(s.pid, s.port) = spawn(0);
  for (int i = 1; i < a.servers; ++i) s.more.push_back(spawn(i));

  // Upload and publish the demo survey.
  Connection c(s.host, s.port);
  auto up = c.exchange(request("POST", "/api/v1/orgs/bench/forms", s.host, s.token,
                               std::string("multipart/form-data; boundary=") + kBoundary,
                               multipart("file", gotong::domain::demo_survey::kFileName,
                                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                         gotong::domain::demo_survey::xlsform())));
  if (up.status != 201 && up.status != 200)
    die("upload answered " + std::to_string(up.status) + ": " + up.body);
  s.form_id = json_string(up.body, "id");
  auto pub = c.exchange(request("POST", "/api/v1/orgs/bench/forms/" + s.form_id + "/publish", s.host, s.token,
                                "application/json", "{}"));
  if (pub.status != 200 && pub.status != 201)
    die("publish answered " + std::to_string(pub.status) + ": " + pub.body);
  return s;
}

void stop_server(Server& s, bool keep) {
  for (auto [pid, port] : s.more) {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  if (s.pid > 0) {
    ::kill(s.pid, SIGTERM);
    int status = 0;
    ::waitpid(s.pid, &status, 0);
  }
  if (!keep)
    fs::remove_all(s.dir);
  else
    std::cerr << "kept " << s.dir << "\n";
}

// ---- The load. ----

struct Template {
  std::string before, after;  // the XML around its instanceID
};

std::vector<Template> templates() {
  std::vector<Template> out;
  for (auto& g : gotong::domain::demo_survey::generate()) {
    auto at = g.xml.find(g.instance_id);
    if (at == std::string::npos) die("generated XML without its instanceID");
    out.push_back({g.xml.substr(0, at), g.xml.substr(at + g.instance_id.size())});
  }
  return out;
}

struct ThreadResult {
  std::vector<std::uint32_t> micros;  // latency of each answered request
  std::map<int, std::size_t> statuses;
  std::size_t errors = 0;
  std::string first_failure;
};

double percentile(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

std::size_t count_stored(const std::string& host, int port, const std::string& token, const std::string& org,
                         const std::string& form_id) {
  Connection c(host, port);
  std::size_t n = 0;
  std::string cursor;
  for (;;) {
    std::string target = "/api/v1/orgs/" + org + "/submissions?form=" + form_id + "&limit=500";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = c.exchange(request("GET", target, host, token, "", ""));
    if (r.status != 200) die("listing submissions answered " + std::to_string(r.status) + ": " + r.body);
    auto v = boost::json::parse(r.body).as_object();
    n += v.at("items").as_array().size();
    const auto* next = v.if_contains("next_cursor");
    if (!next || !next->is_string() || next->as_string().empty()) break;
    cursor = std::string(next->as_string());
  }
  return n;
}

// The CPU cost of the pure part of receiving one submission (parse, validate, encode the record,
// digest), one thread, no HTTP and no database: what is left of the server's time per
// submission is HTTP, threads and storage.
double pipeline_micros(int passes = 3) {
  namespace xf = gotong::forms::xform;
  auto xls = gotong::domain::demo_survey::xlsform();
  auto converted = gotong::forms::xlsform::convert(std::as_bytes(std::span(xls.data(), xls.size())),
                                                   gotong::domain::demo_survey::kFileName);
  if (!converted.ok()) die("the demo survey does not convert");
  auto schema = xf::read_schema(converted.xform_xml);
  auto layout = xf::layout_of(schema);
  xf::Validator validator(schema);
  auto generated = gotong::domain::demo_survey::generate();
  std::size_t issues = 0, bytes = 0;
  auto t0 = Clock::now();
  for (int pass = 0; pass < passes; ++pass) {
    for (const auto& g : generated) {
      auto sub = xf::read_submission(g.xml);
      issues += validator.validate(sub).size();
      bytes += xf::encode_record(schema, layout, sub).size();
      bytes += gotong::crypto::content_digest(g.xml).size();
    }
  }
  double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
  if (issues == 0 || bytes == 0) die("the pipeline measurement did nothing");
  return us / static_cast<double>(passes) / static_cast<double>(generated.size());
}

}  // namespace

// A program on the survey with four indicators computed from it (a percentage by sex of the head
// × dusun, members counted by sex × age band, a mean and a median), so every submission also
// updates their stored values inside its write job. Returns the indicators' ids.
std::vector<std::string> add_indicators(const Server& s) {
  Connection c(s.host, s.port);
  auto post = [&](const std::string& path, const std::string& body) {
    auto r = c.exchange(request("POST", "/api/v1/orgs/" + s.org + path, s.host, s.token, "application/json", body));
    if (r.status != 201) die("POST " + path + " answered " + std::to_string(r.status) + ": " + r.body);
    return json_string(r.body, "id");
  };
  const std::string program =
      post("/programs", R"({"name":"Air bersih, bench","start_date":"2025-01-01","end_date":"2026-12-31"})");
  const std::string node = post("/programs/" + program + "/results", R"({"title":"Akses air minum layak"})");
  const std::string dims = R"([{"name":"sex","kind":"field","field":"head_sex"},{"name":"dusun","kind":"area","level":5}])";
  const std::string form = "\"form_id\":\"" + s.form_id + "\"";
  const std::vector<std::string> specs = {
      R"({"title":"Basic water","measure":"percentage","frequency":"yearly","computation":{)" + form +
          R"(,"calculation":"percentage","filter":"${water_ladder} = 'basic'","denominator_filter":"${consent} = 'yes'","period_field":"visit_date"},"dimensions":)" +
          dims + "}",
      R"({"title":"Members","frequency":"quarterly","computation":{)" + form +
          R"(,"calculation":"count","unit":"member","period_field":"visit_date"},"dimensions":[{"name":"sex","kind":"field","field":"m_sex"},{"name":"age","kind":"age_band","field":"m_age","bands":[5,18,60]}]})",
      R"({"title":"Minutes to fetch water","frequency":"monthly","computation":{)" + form +
          R"(,"calculation":"mean","value_field":"water_time","period_field":"visit_date"},"dimensions":)" + dims + "}",
      R"({"title":"Median water spending","frequency":"yearly","computation":{)" + form +
          R"(,"calculation":"median","value_field":"water_spend","period_field":"visit_date"},"dimensions":)" + dims + "}",
  };
  std::vector<std::string> ids;
  for (const auto& spec : specs) {
    std::string body = spec;
    body.insert(1, "\"result_node_id\":\"" + node +
                       "\",\"measure\":\"unit\",\"direction\":\"increase\",\"source\":\"submissions\",");
    ids.push_back(post("/programs/" + program + "/indicators", body));
  }
  return ids;
}

// Recomputes each indicator from scratch and returns how many stored values differed.
std::int64_t recompute_differences(const Server& s, const std::vector<std::string>& ids) {
  Connection c(s.host, s.port);
  std::int64_t differences = 0;
  for (const auto& id : ids) {
    auto r = c.exchange(request("POST", "/api/v1/orgs/" + s.org + "/indicators/" + id + "/recompute", s.host,
                                s.token, "application/json", "{}"));
    if (r.status != 200) die("recompute answered " + std::to_string(r.status) + ": " + r.body);
    differences += std::stoll(json_string(r.body, "differences"));
  }
  return differences;
}

int main(int argc, char** argv) {
  Args a = parse_args(argc, argv);
  if (a.pipeline_passes > 0) {
    std::printf(
        "pure pipeline (parse + validate + record + digest, 1 thread, %d passes): %.1f µs per submission\n",
        a.pipeline_passes, pipeline_micros(a.pipeline_passes));
    return 0;
  }
  Server server;
  if (a.url.empty()) {
    std::cerr << "starting " << a.servers << " gotong serve on "
              << (a.database.empty() ? "a temporary SQLite database" : "the given database") << "...\n";
    server = start_server(a);
  } else {
    // http://host:port
    std::string rest = a.url.substr(a.url.find("//") + 2);
    auto colon = rest.find(':');
    server.host = rest.substr(0, colon);
    server.port = colon == std::string::npos ? 80 : std::stoi(rest.substr(colon + 1));
    server.token = a.token;
    server.org = a.org;
    server.form_id = a.form_id;
  }
  const std::size_t before = count_stored(server.host, server.port, server.token, server.org, server.form_id);
  const std::vector<std::string> indicator_ids = a.indicators ? add_indicators(server) : std::vector<std::string>{};

  const auto tpl = templates();
  const bool health = a.route == "health";
  const int ok_status = health ? 200 : 201;
  const std::string target = a.route == "openrosa" ? "/openrosa/" + server.org + "/submission"
                             : health              ? std::string("/api/v1/health")
                                      : "/api/v1/orgs/" + server.org + "/forms/" + server.form_id + "/submissions";
  // Unique per run, so a second run against the same server stores new submissions.
  const auto nonce =
      static_cast<unsigned>(std::chrono::system_clock::now().time_since_epoch().count() & 0xffffff);

  std::vector<ThreadResult> results(static_cast<std::size_t>(a.clients));
  std::atomic<bool> stop{false};
  auto server_cpu = [&] {
    double total = server.pid > 0 ? cpu_seconds(server.pid) : 0;
    for (auto [pid, port] : server.more) total += cpu_seconds(pid);
    return total;
  };
  const double cpu_server0 = server_cpu(), cpu_self0 = own_cpu_seconds();
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < a.clients; ++t) {
    threads.emplace_back([&, t] {
      ThreadResult& res = results[static_cast<std::size_t>(t)];
      res.micros.reserve(1 << 16);
      Connection c(server.host, server.port_for(t));
      char id[64];
      for (std::uint64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        const Template& x = tpl[(static_cast<std::size_t>(t) * 7919 + n) % tpl.size()];
        std::snprintf(id, sizeof id, "uuid:%08x-%04x-4%03x-8%03x-%012llx", nonce, t & 0xffff,
                      static_cast<unsigned>(n >> 12) & 0xfff, static_cast<unsigned>(n) & 0xfff,
                      static_cast<unsigned long long>(n));
        std::string xml = x.before + id + x.after;
        std::string req = health ? request("GET", target, server.host, "", "", "")
                          : a.route == "openrosa"
                              ? request("POST", target, server.host, server.token,
                                        std::string("multipart/form-data; boundary=") + kBoundary,
                                        multipart("xml_submission_file", "submission.xml", "text/xml", xml),
                                        "X-OpenRosa-Version: 1.0\r\n")
                              : request("POST", target, server.host, server.token, "application/xml", xml);
        auto start = Clock::now();
        try {
          auto r = c.exchange(req);
          auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
          res.micros.push_back(static_cast<std::uint32_t>(us));
          ++res.statuses[r.status];
          if (r.status != ok_status && res.first_failure.empty()) res.first_failure = r.body.substr(0, 400);
        } catch (const std::exception& e) {
          ++res.errors;
          if (res.first_failure.empty()) res.first_failure = e.what();
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu_server = server_cpu() - cpu_server0;
  const double cpu_self = own_cpu_seconds() - cpu_self0;

  std::vector<std::uint32_t> all;
  std::map<int, std::size_t> statuses;
  std::size_t errors = 0;
  std::string failure;
  for (auto& r : results) {
    all.insert(all.end(), r.micros.begin(), r.micros.end());
    for (auto [s, n] : r.statuses) statuses[s] += n;
    errors += r.errors;
    if (failure.empty()) failure = r.first_failure;
  }
  std::sort(all.begin(), all.end());
  const std::size_t created = statuses[ok_status];
  const std::size_t stored =
      count_stored(server.host, server.port, server.token, server.org, server.form_id) - before;

  std::size_t smallest = SIZE_MAX, largest = 0;
  for (const auto& x : tpl) {
    smallest = std::min(smallest, x.before.size() + x.after.size());
    largest = std::max(largest, x.before.size() + x.after.size());
  }
  std::printf("route %s, %d clients, %d server process(es) on %s, %.1f s, submission XML %zu-%zu bytes\n",
              target.c_str(), a.clients, 1 + static_cast<int>(server.more.size()),
              a.database.empty() ? (a.url.empty() ? "SQLite" : a.url.c_str()) : "PostgreSQL", elapsed,
              smallest + 41, largest + 41);
  std::printf("answers:");
  for (auto [s, n] : statuses) std::printf(" %d×%zu", s, n);
  std::printf("%s\n", errors ? (" (+" + std::to_string(errors) + " connection errors)").c_str() : "");
  std::printf("throughput: %.0f %s/s (%d answers)\n", static_cast<double>(created) / elapsed,
              health ? "requests" : "submissions", ok_status);
  std::printf("latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n", percentile(all, 0.5),
              percentile(all, 0.95), percentile(all, 0.99), all.empty() ? 0.0 : all.back() / 1000.0);
  if (server.pid > 0)
    std::printf("cpu: server %.2f s (%.0f µs per answer), load generator %.2f s, of %.1f s × %u cores\n",
                cpu_server, created ? cpu_server / static_cast<double>(created) * 1e6 : 0.0, cpu_self,
                elapsed, std::thread::hardware_concurrency());
  std::printf("pure pipeline (parse + validate + record + digest, 1 thread): %.0f µs per submission\n",
              pipeline_micros());
  if (!health)
    std::printf("stored: %zu new submissions for %zu answers 201: %s\n", stored, created,
                stored == created ? "match" : "MISMATCH");
  std::int64_t differences = 0;
  if (!indicator_ids.empty()) {
    differences = recompute_differences(server, indicator_ids);
    std::printf("indicators: %zu kept up to date while receiving; a full recomputation found %lld differences\n",
                indicator_ids.size(), static_cast<long long>(differences));
  }
  if (!failure.empty() && (created != all.size() || errors))
    std::printf("first failure: %s\n", failure.c_str());

  if (server.pid > 0) stop_server(server, a.keep);
  return (health || stored == created) && created > 0 && differences == 0 ? 0 : 1;
}
