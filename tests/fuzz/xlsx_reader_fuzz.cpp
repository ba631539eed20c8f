// Fuzz target: the .xlsx reader (forms/xlsform/xlsx_reader: libzip + pugixml) on its own, with
// the default limits of untrusted uploads. It reports every problem in ReadResult::error and
// documents no exception, so any exception escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "forms/xlsform/xlsx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  (void)gotong::forms::xlsform::looks_like_zip(bytes);
  auto result = gotong::forms::xlsform::read_xlsx(bytes);
  (void)result.ok();
  return 0;
}
