// Reads an Office Open XML workbook (.xlsx/.xlsm) from bytes in memory into a Workbook, refusing
// zip bombs, DTDs and oversized sheets of untrusted uploads with one clear message.
#pragma once

#include <cstddef>
#include <span>

#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

// True when the bytes start like a zip archive ("PK\3\4"), i.e. an .xlsx candidate.
bool looks_like_zip(std::span<const std::byte> bytes);

ReadResult read_xlsx(std::span<const std::byte> bytes, const WorkbookLimits& limits = {});

}  // namespace gotong::forms::xlsform
