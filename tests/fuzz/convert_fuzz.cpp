// Fuzz target: the whole XLSForm conversion (forms/xlsform/convert): workbook reading, XLSForm
// parsing, expression checks and XForm writing. Zip bytes go in as "form.xlsx", OLE2 bytes as
// "form.xls" (both are recognised by their bytes); anything else is read by the text readers,
// once as "form.md" and once as "form.csv". convert() reports problems as diagnostics and
// documents no exception, so any exception escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "forms/xlsform/convert.hpp"
#include "forms/xlsform/xls_reader.hpp"
#include "forms/xlsform/xlsx_reader.hpp"

namespace xf = gotong::forms::xlsform;

namespace {
void run(std::span<const std::byte> bytes, std::string_view name) {
  auto result = xf::convert(bytes, name);
  // A conversion without errors must produce an XForm, and one with errors none.
  if (result.ok() == result.xform_xml.empty()) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  if (xf::looks_like_zip(bytes)) {
    run(bytes, "form.xlsx");
  } else if (xf::looks_like_xls(bytes)) {
    run(bytes, "form.xls");
  } else {
    run(bytes, "form.md");
    run(bytes, "form.csv");
  }
  return 0;
}
