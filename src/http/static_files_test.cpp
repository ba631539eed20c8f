#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace gotong::http {

namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, std::string_view content) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base = fs::temp_directory_path() / ("gotong-static-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(std::random_device{}()));
    dist = base / "dist";
    write(dist / "index.html", "<!doctype html><title>app</title>");
    write(dist / "assets/app-abc123.js", "console.log('app')");
    write(dist / "assets/app-abc123.js.gz", "GZ-BYTES");
    write(dist / "assets/app-abc123.js.br", "BR-BYTES");
    write(dist / "sw.js", "self.addEventListener('fetch', () => {})");
    write(dist / "logo.svg", "<svg/>");
    write(dist / ".inputs-sha256", "secret stamp");
    write(base / "secret.txt", "outside the root");
    fs::create_symlink(base / "secret.txt", dist / "link.txt");
  }
  void TearDown() override { fs::remove_all(base); }

  Response get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {},
               std::string method = "GET") {
    Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.target = req.path;
    req.request_id = "test";
    for (auto& [n, v] : headers) req.headers.add(n, v);
    StaticFiles files(dist);
    return files.serve(req);
  }

  fs::path base, dist;
};

std::string header(const Response& r, std::string_view name) {
  return std::string(r.headers.get(name).value_or(""));
}

}  // namespace

TEST(StaticFilesPaths, RefusesTraversalAndHiddenSegments) {
  EXPECT_EQ(safe_relative_path("/assets/a.js"), fs::path("assets/a.js"));
  EXPECT_EQ(safe_relative_path("/"), fs::path());
  EXPECT_EQ(safe_relative_path("/forms/12/"), fs::path("forms/12"));
  EXPECT_FALSE(safe_relative_path("/../etc/passwd"));
  EXPECT_FALSE(safe_relative_path("/assets/../../x"));
  EXPECT_FALSE(safe_relative_path("/a/./b"));
  EXPECT_FALSE(safe_relative_path("/.git/config"));
  EXPECT_FALSE(safe_relative_path("/a//b"));
  EXPECT_FALSE(safe_relative_path("/a\\..\\b"));
  EXPECT_FALSE(safe_relative_path("/c:/windows"));
  EXPECT_FALSE(safe_relative_path(std::string_view("/a\0b", 4)));
  EXPECT_FALSE(safe_relative_path("relative"));
}

TEST(StaticFilesPaths, ContentTypes) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/x-1.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for("a.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndPrecompressed) {
  auto plain = get("/assets/app-abc123.js");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, "console.log('app')");
  EXPECT_EQ(header(plain, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(header(plain, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header(plain, "Content-Encoding"), "");

  auto gz = get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip, deflate"}});
  EXPECT_EQ(gz.body, "GZ-BYTES");
  EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(gz, "Content-Type"), "text/javascript; charset=utf-8");

  auto br = get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(br.body, "BR-BYTES");
  EXPECT_EQ(header(br, "Content-Encoding"), "br");

  auto no_br = get("/assets/app-abc123.js", {{"Accept-Encoding", "br;q=0, gzip"}});
  EXPECT_EQ(header(no_br, "Content-Encoding"), "gzip");

  // Each variant has its own validator, so a cache never mixes them up.
  EXPECT_NE(header(plain, "ETag"), header(gz, "ETag"));
  EXPECT_NE(header(gz, "ETag"), header(br, "ETag"));
}

TEST_F(StaticFilesTest, EtagGivesNotModified) {
  auto first = get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip"}});
  std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  auto again = get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", "\"x\", " + etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(header(again, "ETag"), etag);
  auto weak = get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", "W/" + etag}});
  EXPECT_EQ(weak.status, 304);
  auto other_variant = get("/assets/app-abc123.js", {{"If-None-Match", etag}});
  EXPECT_EQ(other_variant.status, 200);
}

TEST_F(StaticFilesTest, AppRoutesGetIndexWithoutCaching) {
  for (std::string path : {"/", "/forms/12", "/orgs/demo/submissions/", "/index.html"}) {
    auto r = get(path, {{"Accept", "text/html,application/xhtml+xml"}});
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>app</title>") << path;
    EXPECT_EQ(header(r, "Cache-Control"), "no-cache") << path;
    EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_NE(header(r, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_FALSE(header(r, "Referrer-Policy").empty());
  }
  // A route with a dot in it is still a route when a browser navigates to it.
  EXPECT_EQ(get("/users/ani.w", {{"Accept", "text/html"}}).status, 200);
}

TEST_F(StaticFilesTest, MissingFilesAreNotFoundNotIndex) {
  auto asset = get("/assets/app-old999.js", {{"Accept", "text/html"}});
  EXPECT_EQ(asset.status, 404);
  EXPECT_EQ(header(asset, "Content-Type"), "application/problem+json");
  EXPECT_EQ(get("/missing.png", {{"Accept", "image/*"}}).status, 404);
}

TEST_F(StaticFilesTest, ServiceWorkerRevalidates) {
  auto r = get("/sw.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  for (std::string path : {"/../secret.txt", "/assets/../../secret.txt", "/link.txt", "/.inputs-sha256"}) {
    auto r = get(path, {{"Accept", "*/*"}});
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("secret stamp"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  EXPECT_EQ(get("/", {}, "HEAD").status, 200);
  auto post = get("/", {}, "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(header(post, "Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, FindsTheBuiltApp) {
  EXPECT_EQ(find_web_dir("", {base / "nowhere", dist}), dist);
  EXPECT_FALSE(find_web_dir("", {base / "nowhere"}));
  EXPECT_EQ(find_web_dir(dist.string(), {}), dist);
  EXPECT_THROW(find_web_dir(base.string(), {dist}), std::runtime_error);
}

TEST(SecurityHeaders, KeepWhatTheHandlerSet) {
  Response r;
  r.headers.set("Content-Security-Policy", "default-src 'self'");
  add_security_headers(r);
  EXPECT_EQ(r.headers.get("Content-Security-Policy"), "default-src 'self'");
  EXPECT_EQ(r.headers.get("X-Content-Type-Options"), "nosniff");
}

}  // namespace gotong::http
