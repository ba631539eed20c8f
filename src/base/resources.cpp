#include "base/resources.hpp"

namespace gotong {

std::optional<std::string_view> resource(std::string_view name) {
  for (const auto& r : resources())
    if (r.name == name) return r.bytes;
  return std::nullopt;
}

}  // namespace gotong
