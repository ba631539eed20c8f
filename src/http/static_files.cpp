#include "http/static_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "base/json.hpp"
#include "http/gzip.hpp"

namespace gotong::http {

namespace fs = std::filesystem;

namespace {

// Vite puts every content-hashed file here; nothing else lives there, so a year is safe.
constexpr std::string_view kAssetsPrefix = "/assets/";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// index.html, the service worker and the manifest must be checked on every load, or a new
// release would never reach a browser that has the old one.
constexpr std::string_view kRevalidate = "no-cache";

struct Encoding {
  std::string_view coding;  // Content-Encoding value
  std::string_view suffix;  // file name suffix written by the build
};
// Preferred first: brotli is smaller than gzip for the same file.
constexpr std::array<Encoding, 2> kEncodings{{{"br", ".br"}, {"gzip", ".gz"}}};

Response problem(int status, std::string_view slug, std::string_view title, std::string_view detail,
                 const Request& req) {
  Response res;
  res.status = status;
  res.headers.set("Content-Type", "application/problem+json");
  res.headers.set("Cache-Control", "no-store");
  std::string& b = res.body;
  b += "{\"type\":";
  json::append_quoted(b, std::string("https://gotong.id/problems/").append(slug));
  b += ",\"title\":";
  json::append_quoted(b, title);
  b += ",\"status\":";
  b += std::to_string(status);
  b += ",\"detail\":";
  json::append_quoted(b, detail);
  b += ",\"request_id\":";
  json::append_quoted(b, req.request_id);
  b += '}';
  return res;
}

Response not_found(const Request& req) {
  return problem(404, "not-found", "Not found", "no such file: " + req.path, req);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// True when an If-None-Match value lists `etag` (weak comparison, RFC 9110 §13.1.2) or is "*".
bool none_match(std::string_view header, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == "*" || (!item.empty() && opaque(item) == opaque(etag))) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

bool accepts_html(const Request& req) {
  auto accept = req.headers.get("Accept");
  return accept && lowercase(*accept).find("text/html") != std::string::npos;
}

// A file that exists and is a regular file inside the root (after resolving symlinks).
struct Found {
  fs::path file;
  std::uintmax_t size = 0;
  fs::file_time_type modified;
};

std::optional<Found> regular_file(const fs::path& file, const fs::path& canonical_root) {
  std::error_code ec;
  auto status = fs::status(file, ec);
  if (ec || !fs::is_regular_file(status)) return std::nullopt;
  fs::path real = fs::canonical(file, ec);
  if (ec) return std::nullopt;
  // A symlink in the build output must not lead out of it.
  auto [root_end, real_it] = std::mismatch(canonical_root.begin(), canonical_root.end(), real.begin(), real.end());
  if (root_end != canonical_root.end()) return std::nullopt;
  Found f{file, fs::file_size(real, ec), fs::last_write_time(real, ec)};
  if (ec) return std::nullopt;
  return f;
}

std::optional<std::string> read_whole(const fs::path& file, std::uintmax_t expected) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data;
  data.reserve(static_cast<std::size_t>(expected));
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
}

}  // namespace

void add_security_headers(Response& res) {
  auto set_default = [&](std::string_view name, std::string_view value) {
    if (!res.headers.get(name)) res.headers.set(std::string(name), std::string(value));
  };
  set_default("X-Content-Type-Options", "nosniff");
  set_default("Referrer-Policy", "same-origin");
  set_default("X-Frame-Options", "DENY");
  // API answers are data, never a page: they may load nothing and be framed by nobody.
  set_default("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

std::string_view content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".pdf", "application/pdf"},
  }};
  std::size_t slash = name.rfind('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  std::size_t dot = base.rfind('.');
  if (dot != std::string_view::npos) {
    std::string ext = lowercase(base.substr(dot));
    for (const auto& [e, type] : kTypes)
      if (e == ext) return type;
  }
  return "application/octet-stream";
}

std::optional<fs::path> safe_relative_path(std::string_view path) {
  if (!path.starts_with('/')) return std::nullopt;
  fs::path rel;
  path.remove_prefix(1);
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (segment.empty()) {
      if (path.empty()) break;  // a trailing slash
      return std::nullopt;      // "//": no file of ours is named that way
    }
    // Dot segments and hidden files (".git", ".env", build stamps) are never part of the app.
    if (segment.front() == '.') return std::nullopt;
    if (segment.find_first_of(std::string_view("\\\0:", 3)) != std::string_view::npos) return std::nullopt;
    rel /= std::string(segment);
  }
  return rel;
}

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  canonical_ = fs::canonical(root_, ec);
  if (ec) throw std::runtime_error("web app folder " + root_.string() + ": " + ec.message());
}

Response StaticFiles::serve(const Request& req) const {
  try {
    if (req.method != "GET" && req.method != "HEAD") {
      Response res = problem(405, "method-not-allowed", "Method not allowed",
                             req.method + " is not allowed here; allowed: GET, HEAD", req);
      res.headers.set("Allow", "GET, HEAD");
      add_security_headers(res);
      return res;
    }
    auto rel = safe_relative_path(req.path);
    if (!rel) {
      Response res = not_found(req);
      add_security_headers(res);
      return res;
    }
    const bool asset = req.path.starts_with(kAssetsPrefix);
    std::optional<Found> found;
    if (!rel->empty()) found = regular_file(root_ / *rel, canonical_);
    std::string_view cache = asset ? kImmutable : kRevalidate;
    std::string_view type;
    if (found) {
      type = content_type_for(found->file.filename().string());
    } else {
      // A missing hashed file or a missing image must stay a 404: answering index.html would
      // hand a script tag HTML. Anything a browser navigates to is a route of the app.
      bool file_like = rel->has_extension();
      if (asset || (file_like && !accepts_html(req))) {
        Response res = not_found(req);
        add_security_headers(res);
        return res;
      }
      found = regular_file(root_ / "index.html", canonical_);
      if (!found) {
        Response res = problem(404, "not-found", "Not found", "the web app is not built (no index.html)", req);
        add_security_headers(res);
        return res;
      }
      type = "text/html; charset=utf-8";
      cache = kRevalidate;
    }

    Response res;
    std::string_view coding;
    bool has_variants = false;
    const std::string accept_encoding(req.headers.get("Accept-Encoding").value_or(""));
    for (const Encoding& e : kEncodings) {
      auto variant = regular_file(found->file.string() + std::string(e.suffix), canonical_);
      if (!variant) continue;
      has_variants = true;
      if (coding.empty() && accepts_encoding(accept_encoding, e.coding)) {
        coding = e.coding;
        found = std::move(variant);
      }
    }
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(found->modified.time_since_epoch()).count();
    std::string etag = fmt::format("\"{:x}-{:x}{}{}\"", found->size, static_cast<std::uint64_t>(ns),
                                   coding.empty() ? "" : "-", coding);
    res.headers.set("ETag", etag);
    res.headers.set("Cache-Control", std::string(cache));
    if (has_variants || is_compressible_type(type)) res.headers.set("Vary", "Accept-Encoding");
    res.headers.set("Content-Security-Policy", std::string(kAppContentSecurityPolicy));
    res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
    add_security_headers(res);

    if (auto inm = req.headers.get("If-None-Match"); inm && none_match(*inm, etag)) {
      res.status = 304;
      return res;
    }
    auto body = read_whole(found->file, found->size);
    if (!body) {
      // Removed between the stat and the read: the build is replacing the folder.
      Response gone = not_found(req);
      add_security_headers(gone);
      return gone;
    }
    res.status = 200;
    res.headers.set("Content-Type", std::string(type));
    if (!coding.empty()) res.headers.set("Content-Encoding", std::string(coding));
    res.body = std::move(*body);
    return res;
  } catch (const std::exception&) {
    return problem(500, "internal-error", "Internal error", "reading the web app failed", req);
  }
}

std::optional<fs::path> find_web_dir(const std::string& configured, const std::vector<fs::path>& candidates) {
  std::error_code ec;
  if (!configured.empty()) {
    fs::path dir(configured);
    if (!fs::is_regular_file(dir / "index.html", ec))
      throw std::runtime_error("the web app folder " + configured +
                               " has no index.html (build it with `npm run build` in web/)");
    return dir;
  }
  for (const auto& dir : candidates)
    if (fs::is_regular_file(dir / "index.html", ec)) return dir;
  return std::nullopt;
}

}  // namespace gotong::http
