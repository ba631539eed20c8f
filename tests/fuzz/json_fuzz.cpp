// Fuzz target: JSON request bodies (base/json). json::parse and parse_object may only throw
// gotong::Error; the typed field accessors are exercised on whatever object comes out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.hpp"
#include "base/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto v = gotong::json::parse(text);
    (void)gotong::json::serialize(v);
  } catch (const gotong::Error&) {
  }
  try {
    auto o = gotong::json::parse_object(text);
    auto field = [&](auto&& read) {
      try {
        read();
      } catch (const gotong::Error&) {
      }
    };
    field([&] { (void)gotong::json::required_string(o, "name"); });
    field([&] { (void)gotong::json::optional_string(o, "description", 100); });
    field([&] { (void)gotong::json::optional_int(o, "count"); });
    field([&] { (void)gotong::json::optional_bool(o, "active"); });
    field([&] { (void)gotong::json::optional_id(o, "id"); });
  } catch (const gotong::Error&) {
  }
  return 0;
}
