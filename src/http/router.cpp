#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace gotong::http {

std::optional<std::string_view> PathParams::get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::vector<std::string_view> Router::split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

void Router::add(std::string method, std::string pattern, std::size_t target) {
  if (pattern.empty() || pattern[0] != '/') throw std::logic_error("route pattern must start with '/': " + pattern);
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern) throw std::logic_error("duplicate route " + method + " " + pattern);
  Compiled c;
  for (auto part : split(pattern)) {
    bool param = part.size() > 2 && part.front() == '{' && part.back() == '}';
    if (!param && (part.find('{') != std::string_view::npos || part.find('}') != std::string_view::npos))
      throw std::logic_error("malformed route pattern " + pattern);
    if (!param) ++c.literals;
    c.segments.emplace_back(part);
  }
  routes_.push_back(Route{std::move(method), std::move(pattern), target});
  compiled_.push_back(std::move(c));
}

bool Router::matches(const Compiled& c, const std::vector<std::string_view>& parts, PathParams* params) const {
  if (c.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = c.segments[i];
    bool param = seg.size() > 2 && seg.front() == '{';
    if (param) {
      if (parts[i].empty()) return false;
      if (params) params->add(seg.substr(1, seg.size() - 2), std::string(parts[i]));
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  auto parts = split(path);
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  int best_for_method = -1, best_any = -1;
  std::size_t chosen = 0;
  std::vector<std::size_t> same_shape;  // routes matching the path at the best specificity
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!matches(compiled_[i], parts, nullptr)) continue;
    int lit = compiled_[i].literals;
    if (lit > best_any) {
      best_any = lit;
      same_shape.clear();
    }
    if (lit == best_any) same_shape.push_back(i);
    if (routes_[i].method == wanted && lit > best_for_method) {
      best_for_method = lit;
      chosen = i;
    }
  }
  if (best_any < 0) return m;
  if (best_for_method == best_any) {
    m.outcome = Outcome::found;
    m.target = routes_[chosen].target;
    matches(compiled_[chosen], parts, &m.params);
    return m;
  }
  // The most specific pattern for this path lacks the method: 405 with what it does have.
  m.outcome = Outcome::method_not_allowed;
  for (std::size_t i : same_shape) {
    m.allowed.push_back(routes_[i].method);
    if (routes_[i].method == "GET") m.allowed.push_back("HEAD");
  }
  std::sort(m.allowed.begin(), m.allowed.end());
  m.allowed.erase(std::unique(m.allowed.begin(), m.allowed.end()), m.allowed.end());
  return m;
}

}  // namespace gotong::http
