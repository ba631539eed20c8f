#include "forms/xlsform/number_formats.hpp"

#include <cmath>
#include <cstdio>

namespace gotong::forms::xlsform {

DateKind builtin_format_kind(int id) {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58)) {
    return {true, false};
  }
  if (id == 46) return {false, true, true};
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || id == 45 || id == 47) return {false, true};
  if (id == 22) return {true, true};
  return {};
}

DateKind custom_format_kind(std::string_view code) {
  std::string cleaned;
  bool elapsed_time = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;  // only the first (positive numbers) section matters
    if (c == '"') {
      auto end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // escaped literal, padding or fill character
    } else if (c == '[') {
      auto end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      std::string inner = to_lower_ascii(code.substr(i + 1, end - i - 1));
      if (!inner.empty() && inner.find_first_not_of("hms") == std::string::npos) elapsed_time = true;
      i = end;
    } else {
      cleaned += static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
  }
  for (std::string_view marker : {"am/pm", "a/p"}) {
    for (auto pos = cleaned.find(marker); pos != std::string::npos; pos = cleaned.find(marker)) {
      cleaned.erase(pos, marker.size());
    }
  }
  DateKind kind;
  if (cleaned == "general") return kind;
  kind.elapsed = elapsed_time;
  kind.has_time = elapsed_time || cleaned.find_first_of("hs") != std::string::npos;
  kind.has_date = cleaned.find_first_of("yd") != std::string::npos ||
                  (!kind.has_time && cleaned.find('m') != std::string::npos);
  return kind;
}

std::string format_number_cell(double value, const DateKind& kind, bool date1904, CellType& type) {
  if (kind.elapsed && value >= 0 && value < 1e7) {
    long long seconds = std::llround(value * 86400.0);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    type = CellType::time;
    return buf;
  }
  if (kind.is_date()) return format_serial_date(value, date1904, kind.has_date, kind.has_time, &type);
  type = CellType::number;
  return format_number(value);
}

}  // namespace gotong::forms::xlsform
