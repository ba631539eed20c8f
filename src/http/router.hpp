// A small router: "/api/v1/orgs/{org}/areas/{id}" patterns, literal segments preferred over
// parameters, and the 404 / 405 (+ Allow) distinction. Routes carry an index into the caller's
// own table, so the router knows nothing about handlers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotong::http {

class PathParams {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::size_t target;  // the caller's index
  };

  // Throws std::logic_error for a malformed pattern or a duplicate method + pattern.
  void add(std::string method, std::string pattern, std::size_t target);

  enum class Outcome { found, not_found, method_not_allowed };
  struct Match {
    Outcome outcome = Outcome::not_found;
    std::size_t target = 0;
    PathParams params;
    std::vector<std::string> allowed;  // for method_not_allowed: the methods the path has
  };
  // HEAD matches GET routes.
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" marks a parameter
    int literals = 0;
  };
  static std::vector<std::string_view> split(std::string_view path);
  bool matches(const Compiled& c, const std::vector<std::string_view>& parts, PathParams* params) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace gotong::http
