// Numbers, money, dates and period names as a reader of the report's language expects them:
// Indonesian "1.234,5" and "28 November 2026", English "1,234.5" and "28 November 2026".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reports/model.hpp"

namespace gotong::reports {

// The English or the Indonesian text, by the report's language.
inline const char* tr(Lang l, const char* en, const char* id) { return l == Lang::id ? id : en; }

// `v` rounded to at most `decimals` places, trailing zeros dropped, thousands grouped.
std::string format_number(double v, Lang l, int decimals = 1);
std::string format_int(std::int64_t v, Lang l);
// "–" for no value.
std::string format_optional(const std::optional<double>& v, Lang l, int decimals = 1);
// A value of an indicator's measure: percentages with "%", others with the unit label.
std::string format_measure(const std::optional<double>& v, std::string_view measure, Lang l);
// A fraction 0.473 as "47,3%" / "47.3%".
std::string format_percent(double fraction, Lang l);

// Digits after the decimal sign of a currency's minor unit (ISO 4217; IDR is kept in whole rupiah).
int minor_digits(std::string_view currency);
// "Rp 1.250.000" for IDR; other currencies as "USD 1,250.00".
std::string format_money(std::int64_t minor, std::string_view currency, Lang l);

// "2026-11-28" → "28 November 2026"; anything else unchanged.
std::string format_date(std::string_view date, Lang l);
// "2026-03" → "Maret 2026", "2026-Q1" → "Triwulan I 2026" / "Q1 2026", "2026", "LOP" → life of program.
std::string format_period(std::string_view period, Lang l);
// The month's short name: "Mar 2026" / "Mar 2026"; "Agu" for August in Indonesian.
std::string format_month_short(std::string_view period, Lang l);

// Names of codes the domain stores.
std::string status_label(std::string_view indicator_status, Lang l);
std::string activity_status_label(std::string_view status, Lang l);
std::string program_status_label(std::string_view status, Lang l);
std::string stakeholder_role_label(std::string_view role, Lang l);
std::string age_band_label(std::string_view band, Lang l);
std::string criterion_label(std::string_view criterion, Lang l);
// Disaggregation dimensions and categories Gotong itself names (sex, age bands, disability);
// others as they are written.
std::string dimension_label(std::string_view dimension, Lang l);
std::string category_label(const Disaggregation& d, std::string_view category, Lang l);

}  // namespace gotong::reports
