#include "http/message.hpp"

#include <algorithm>
#include <stdexcept>

namespace gotong::http {

std::string redact_target(std::string_view target) {
  constexpr std::string_view marker = "/key/";
  std::string out(target);
  for (std::size_t at = out.find(marker); at != std::string::npos;
       at = out.find(marker, at + marker.size())) {
    std::size_t start = at + marker.size();
    std::size_t end = out.find_first_of("/?", start);
    if (end == std::string::npos) end = out.size();
    out.replace(start, end - start, "***");
  }
  return out;
}

Later::~Later() {
  std::function<void(Build)> waiter;
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    waiter = std::move(waiter_);
  }
  if (waiter)
    waiter([]() -> Response {
      throw std::logic_error("the work behind a deferred response ended without an answer");
    });
}

void Later::finish(Build build) {
  std::function<void(Build)> waiter;
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;  // once only
    finished_ = true;
    if (!waiter_) {
      build_ = std::move(build);
      return;
    }
    waiter = std::move(waiter_);
  }
  waiter(std::move(build));
}

void Later::on_finish(std::function<void(Build)> waiter) {
  Build ready;
  {
    std::lock_guard lock(mutex_);
    if (!finished_) {
      waiter_ = std::move(waiter);
      return;
    }
    ready = std::move(build_);
  }
  waiter(std::move(ready));
}

Response deferred_response(std::shared_ptr<Later> later) {
  Response placeholder;
  placeholder.later = std::move(later);
  return placeholder;
}

void then(Response& response, std::function<Response(const Build&)> after) {
  if (!response.later) {
    Response current = std::move(response);
    response = after([&current] { return std::move(current); });
    return;
  }
  auto outer = std::make_shared<Later>();
  response.later->on_finish([outer, after = std::move(after)](Build build) {
    outer->finish([build = std::move(build), after] { return after(build); });
  });
  response.later = std::move(outer);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void Headers::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& f : fields_)
    if (iequals(f.first, name)) return std::string_view(f.second);
  return std::nullopt;
}

}  // namespace gotong::http
