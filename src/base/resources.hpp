// Files built into the binary (migrations, the OpenAPI document, the regions list), so a
// single `gotong` file is all an installation needs. See cmake/embed.cmake.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace gotong {

struct Resource {
  std::string_view name;   // e.g. "db/migrations/0001_init.sql"
  std::string_view bytes;
};

const std::vector<Resource>& resources();
// The resource called `name`, or nullopt.
std::optional<std::string_view> resource(std::string_view name);

}  // namespace gotong
