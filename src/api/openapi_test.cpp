// docs/openapi.json and the router must agree: every route documented, every documented
// operation routed.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/api.hpp"
#include "base/resources.hpp"

namespace gotong::api {

namespace {
std::set<std::string> documented() {
  auto doc = resource("openapi.json");
  EXPECT_TRUE(doc);
  auto v = boost::json::parse(*doc).as_object();
  EXPECT_EQ(v.at("openapi").as_string(), "3.1.0");
  std::set<std::string> out;
  const std::set<std::string> methods{"get", "put", "post", "delete", "patch", "head", "options"};
  for (const auto& [path, item] : v.at("paths").as_object())
    for (const auto& [method, op] : item.as_object())
      if (methods.count(std::string(method))) {
        std::string m(method);
        for (char& ch : m) ch = static_cast<char>(ch - 'a' + 'A');
        out.insert(m + " " + std::string(path));
      }
  return out;
}

std::set<std::string> routed() {
  std::set<std::string> out;
  const Routes all = all_routes();
  for (const auto& r : all.router().routes()) out.insert(r.method + " " + r.pattern);
  return out;
}
}  // namespace

TEST(OpenApi, EveryRouteIsDocumented) {
  auto docs = documented();
  for (const auto& r : routed()) EXPECT_TRUE(docs.count(r)) << r << " is routed but not in docs/openapi.json";
}

TEST(OpenApi, EveryDocumentedOperationIsRouted) {
  auto routes = routed();
  for (const auto& d : documented()) EXPECT_TRUE(routes.count(d)) << d << " is documented but has no route";
}

TEST(OpenApi, PathParametersAreDeclared) {
  auto v = boost::json::parse(*resource("openapi.json")).as_object();
  for (const auto& [path, item] : v.at("paths").as_object()) {
    std::set<std::string> in_path;
    std::string p(path);
    for (std::size_t i = p.find('{'); i != std::string::npos; i = p.find('{', i + 1))
      in_path.insert(p.substr(i + 1, p.find('}', i) - i - 1));
    for (const auto& [method, op] : item.as_object()) {
      std::set<std::string> declared;
      if (auto* params = op.as_object().if_contains("parameters"))
        for (const auto& prm : params->as_array())
          if (prm.as_object().at("in").as_string() == "path")
            declared.insert(std::string(prm.as_object().at("name").as_string()));
      EXPECT_EQ(in_path, declared) << method << " " << path;
    }
  }
}

}  // namespace gotong::api
