// Fuzz target: the legacy .xls reader (forms/xlsform/xls_reader + compound_file: our own BIFF8
// and OLE2 reader) on its own, with the default limits. It reports every problem in
// ReadResult::error and documents no exception, so any exception escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "forms/xlsform/xls_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  (void)gotong::forms::xlsform::looks_like_xls(bytes);
  auto result = gotong::forms::xlsform::read_xls(bytes);
  (void)result.ok();
  return 0;
}
