// `gotong serve`: the database, the API and the HTTP server wired together.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "api/api.hpp"
#include "app/commands.hpp"
#include "base/error.hpp"
#include "domain/attachment_store.hpp"
#include "domain/submission_blocks.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace gotong::app {

namespace {
void parse_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw Error(ErrorCode::bad_request,
                "--listen must be HOST:PORT, e.g. 127.0.0.1:8080, not '" + listen + "'");
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  unsigned p = 0;
  std::string ps = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), p);
  if (ec != std::errc() || end != ps.data() + ps.size() || p > 65535)
    throw Error(ErrorCode::bad_request, "--listen has a bad port in '" + listen + "'");
  port = static_cast<std::uint16_t>(p);
}
// The API and ODK's endpoints; everything else is the web app.
bool is_server_path(std::string_view path) {
  for (std::string_view prefix : {"/api", "/openrosa", "/key"})
    if (path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/')) return true;
  return false;
}

std::vector<std::filesystem::path> default_web_dirs() {
  std::vector<std::filesystem::path> dirs;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back(exe.parent_path() / "../share/gotong/web");  // an installed binary
    dirs.push_back(exe.parent_path() / "../../web/dist");       // build/<dir>/gotong in a checkout
  }
  dirs.push_back(std::filesystem::path(GOTONG_SOURCE_DIR) / "web/dist");
  return dirs;
}

std::unique_ptr<http::StaticFiles> open_web_app(const std::string& configured) {
  std::optional<std::filesystem::path> dir;
  try {
    dir = http::find_web_dir(configured, default_web_dirs());
  } catch (const std::runtime_error& e) {
    throw Error(ErrorCode::bad_request, std::string("--web-dir: ") + e.what());
  }
  if (!dir) {
    spdlog::warn(
        "the web app is not built (no web/dist/index.html): serving only the API; "
        "`./run` builds it, or `npm ci && npm run build` in web/");
    return nullptr;
  }
  spdlog::info("serving the web app from {}", dir->string());
  return std::make_unique<http::StaticFiles>(*dir);
}

}  // namespace

// Makes the column blocks that indicators' full computations read (domain/submission_blocks)
// on a thread of its own, each encoded in a read snapshot and stored by a short write job, so
// that a large form's blocks never hold other writes back for long.
class BlockBuilder {
 public:
  // GOTONG_BLOCK_BUILD_SECONDS: how often to look (default 30; 0: never, for tests that count
  // blocks).
  explicit BlockBuilder(db::Database& db) {
    const char* v = std::getenv("GOTONG_BLOCK_BUILD_SECONDS");
    const long seconds = v && *v ? std::strtol(v, nullptr, 10) : 30;
    if (seconds <= 0) return;
    interval_ = std::chrono::seconds(seconds);
    thread_ = std::thread([this, &db] { loop(db); });
  }
  ~BlockBuilder() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void loop(db::Database& db) {
    for (;;) {
      try {
        while (!stopping() && domain::submission_blocks::build_next(db)) {
        }
      } catch (const std::exception& e) {
        spdlog::warn("building column blocks failed (tried again later): {}", e.what());
      }
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [&] { return stopping_; })) return;
    }
  }
  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::seconds interval_{30};
  std::thread thread_;
};

int serve(const ServeOptions& o) {
  http::ServerOptions so;
  parse_listen(o.listen, so.host, so.port);
  so.io_threads = o.io_threads;
  so.header_timeout = std::chrono::milliseconds(o.header_timeout_ms);
  so.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);
  so.access_log = !o.quiet;

  auto db = open_migrated(o.database);
  // On SQLite a submission holds no thread while its group commit is on its way, so a few
  // workers do (more only add context switches); on PostgreSQL each write still holds one for
  // its transaction, and concurrent transactions share the server's commits.
  so.worker_threads = o.workers > 0 ? o.workers : db->engine() == db::Engine::sqlite ? 8 : 32;
  api::Settings settings;
  settings.secure_cookies = o.secure_cookies;
  settings.trust_proxy = o.trust_proxy;
  std::filesystem::path attachment_dir = o.attachments.empty() ? domain::default_attachment_dir(o.database)
                                                               : std::filesystem::path(o.attachments);
  api::Api api(api::Services{*db, settings, domain::AttachmentStore(attachment_dir)});
  so.body_limit = [&api](const http::Request& head) { return api.body_limit(head); };

  auto web = open_web_app(o.web_dir);
  http::Server server(so, [&api, &web](http::Request& req) {
    if (web && !is_server_path(req.path)) return web->serve(req);
    http::Response res = api.handle(req);
    http::then(res, [](const http::Build& build) {
      http::Response built = build();
      http::add_security_headers(built);
      return built;
    });
    return res;
  });
  server.listen();
  std::string host = so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host;
  spdlog::info("Gotong {} serving {} on http://{}:{}", GOTONG_VERSION, db->description(), host,
               server.port());
  std::cout << "Gotong listening on http://" << host << ":" << server.port() << std::endl;
  BlockBuilder blocks(*db);
  server.run();
  blocks.stop();
  spdlog::info("stopped accepting; committing queued writes");
  db->close();
  spdlog::info("shut down cleanly");
  return 0;
}

}  // namespace gotong::app
