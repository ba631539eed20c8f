// Fuzz target: multipart/form-data bodies (http/multipart). The input's first line is a
// Content-Type (or, when multipart_boundary() finds none in it, the boundary itself); the rest is
// the body. parse_multipart may only throw gotong::Error; every part must lie inside the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "http/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = input.find('\n');
  const std::string_view first = input.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  // multipart_boundary() promises nullopt, never an exception, for a Content-Type it cannot use
  // (fuzzing found it throwing on an unclosed quote; regression input
  // corpus/multipart/finding_boundary_unclosed_quote.txt).
  const std::string boundary = gotong::http::multipart_boundary(first).value_or(std::string(first));
  gotong::http::MultipartLimits limits;
  limits.max_parts = 64;  // reachable by the fuzzer; the default is 1000
  try {
    for (const auto& part : gotong::http::parse_multipart(body, boundary, limits)) {
      // Parts point into the body: anything else is a bug even when ASan stays quiet.
      const auto begin = reinterpret_cast<std::uintptr_t>(body.data());
      const auto at = reinterpret_cast<std::uintptr_t>(part.body.data());
      if (!part.body.empty() && (at < begin || at + part.body.size() > begin + body.size())) std::abort();
    }
  } catch (const gotong::Error&) {
  }
  return 0;
}
