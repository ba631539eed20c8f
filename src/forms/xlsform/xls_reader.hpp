// Reads a legacy Excel 97-2003 workbook (.xls, BIFF8) from bytes in memory into a Workbook.
// Our own bounds-checked reader: libfreexl 1.0.6 corrupts memory on damaged files (found by
// mutation testing under AddressSanitizer) and can only open files by path.
#pragma once

#include <cstddef>
#include <span>

#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

// True when the bytes start with the OLE2 compound-file signature used by .xls files.
bool looks_like_xls(std::span<const std::byte> bytes);

// BIFF8 (Excel 97 and later) only; older BIFF versions are refused with a message.
ReadResult read_xls(std::span<const std::byte> bytes, const WorkbookLimits& limits = {});

}  // namespace gotong::forms::xlsform
