#include "forms/xlsform/workbook.hpp"

#include <algorithm>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace gotong::forms::xlsform {

namespace {
constexpr int kExcelMaxRows = 1048576;
constexpr int kExcelMaxColumns = 16384;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

const Sheet* Workbook::find_sheet(std::string_view name) const {
  for (const Sheet& sheet : sheets) {
    if (iequals(trim(sheet.name), name)) return &sheet;
  }
  return nullptr;
}

std::string column_name(int column) {
  std::string out;
  while (column > 0) {
    int rem = (column - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return out;
}

std::optional<std::pair<int, int>> parse_cell_reference(std::string_view ref) {
  std::size_t i = 0;
  long column = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    char c = static_cast<char>(ref[i] & ~0x20);
    column = column * 26 + (c - 'A' + 1);
    if (column > kExcelMaxColumns) return std::nullopt;
    ++i;
  }
  if (i == 0 || i == ref.size()) return std::nullopt;
  long row = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return std::nullopt;
    row = row * 10 + (ref[i] - '0');
    if (row > kExcelMaxRows) return std::nullopt;
  }
  if (row == 0) return std::nullopt;
  return std::make_pair(static_cast<int>(row), static_cast<int>(column));
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Whole numbers print without a fraction, as pyxform does (3.0 -> "3").
  if (value == std::trunc(value) && std::fabs(value) < 1e16) {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<long long>(value));
    (void)ec;
    return std::string(buf.data(), end);
  }
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec;
  return std::string(buf.data(), end);
}

namespace {
// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
void civil_from_days(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}
}  // namespace

std::string format_serial_date(double serial, bool date1904, bool has_date, bool has_time,
                               CellType* type_out) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466.0) {
    if (type_out) *type_out = CellType::number;
    return format_number(serial);
  }
  long long total_seconds = std::llround(serial * 86400.0);
  long long days = total_seconds / 86400;
  long long seconds = total_seconds % 86400;
  // A time-only format, or a value below one day under a time format, is a time of day.
  bool time_only = (!has_date && has_time) || (has_time && days == 0);
  if (!has_date && !has_time) has_date = true;
  char buf[40];
  if (time_only) {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if (type_out) *type_out = CellType::time;
    return buf;
  }
  // 1900 system: serial 1 = 1900-01-01, and Excel counts the non-existent 1900-02-29 (serial 60).
  long long epoch_days;  // days from 1970-01-01 to the serial's day
  if (date1904) {
    epoch_days = days - 24107;  // 1904-01-01 is 24107 days before 1970-01-01
  } else {
    long long d = days;
    if (d < 60) d += 1;  // before the phantom leap day, serials are one day ahead
    epoch_days = d - 25569;
  }
  int y;
  unsigned m, dd;
  civil_from_days(epoch_days, y, m, dd);
  if (has_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld", y, m, dd, seconds / 3600,
                  (seconds / 60) % 60, seconds % 60);
    if (type_out) *type_out = CellType::date_time;
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, dd);
    if (type_out) *type_out = CellType::date;
  }
  return buf;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  // ASCII whitespace plus the UTF-8 no-break space (C2 A0) that spreadsheets often carry.
  for (;;) {
    if (!text.empty() && is_space(text.front())) {
      text.remove_prefix(1);
    } else if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0xC2 &&
               static_cast<unsigned char>(text[1]) == 0xA0) {
      text.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!text.empty() && is_space(text.back())) {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && static_cast<unsigned char>(text[text.size() - 2]) == 0xC2 &&
               static_cast<unsigned char>(text[text.size() - 1]) == 0xA0) {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

void add_rows(Sheet& sheet, std::map<int, std::vector<Cell>>& rows) {
  for (auto& [row, cells] : rows) {
    std::stable_sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.column < b.column; });
    std::vector<Cell> unique;
    for (Cell& cell : cells) {
      if (!unique.empty() && unique.back().column == cell.column) {
        unique.back() = std::move(cell);
      } else {
        unique.push_back(std::move(cell));
      }
    }
    sheet.rows.push_back(std::move(unique));
  }
}

}  // namespace gotong::forms::xlsform
