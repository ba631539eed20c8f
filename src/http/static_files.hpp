// The built web app (web/dist) served by the binary: hashed assets cached for a year, every
// other path answered with index.html (the app routes in the browser), precompressed .br/.gz
// variants chosen by Accept-Encoding, ETag/304, and the security headers the app runs under.
// No Beast here: the server calls this from its worker pool like any other handler, so disk
// reads never block an I/O thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace gotong::http {

// Content-Security-Policy of the app: only our own origin. 'wasm-unsafe-eval' lets the ODK form
// engine compile its bundled WebAssembly (XPath parser) without allowing eval() of strings;
// inline styles are needed by the component library the form engine renders with.
inline constexpr std::string_view kAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

// Adds the headers every answer of ours should carry (nosniff, referrer policy, no framing),
// without replacing ones the handler chose.
void add_security_headers(Response& res);

// The media type for a file name, by extension ("application/octet-stream" when unknown).
std::string_view content_type_for(std::string_view file_name);

// A request path split into safe segments relative to the root, or nullopt when a segment is
// "..", ".", hidden (".git"), or holds a backslash or NUL: such a path never reaches the disk.
std::optional<std::filesystem::path> safe_relative_path(std::string_view request_path);

class StaticFiles {
 public:
  // `root` is the folder holding index.html (web/dist); it must exist.
  explicit StaticFiles(std::filesystem::path root);
  const std::filesystem::path& root() const { return root_; }

  // Answers GET and HEAD for the app (405 for other methods). Never throws.
  Response serve(const Request& req) const;

 private:
  std::filesystem::path root_;       // as given
  std::filesystem::path canonical_;  // with symlinks resolved, for the containment check
};

// Where the built app is: `configured` when not empty (it must hold index.html, otherwise
// std::runtime_error), else the first of `candidates` that holds index.html, else nullopt.
std::optional<std::filesystem::path> find_web_dir(const std::string& configured,
                                                  const std::vector<std::filesystem::path>& candidates);

}  // namespace gotong::http
