// Reporting periods of indicators: months "2026-03", quarters "2026-Q1", years "2026" and the
// whole life of a program "LOP", as IATI result periods are reported. Period keys of one
// frequency sort as text in calendar order, which the storage relies on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotong::analytics {

enum class Frequency { monthly, quarterly, yearly, life_of_program };

std::optional<Frequency> parse_frequency(std::string_view s);  // "monthly", "quarterly", ...
std::string_view frequency_name(Frequency f);

// The key of the single period of a life-of-program indicator, and of life-of-program targets.
inline constexpr std::string_view kLifeOfProgram = "LOP";

// "YYYY-MM-DD" naming a real day of the Gregorian calendar (years 1900–9999).
bool valid_date(std::string_view date);
// The calendar date of an instant at `offset_minutes` east of UTC ("2026-03-01").
std::string local_date(std::int64_t utc_millis, int offset_minutes);

// The period of frequency `f` that holds `date` (a valid date): "2026-03", "2026-Q1", "2026", "LOP".
std::string period_of(std::string_view date, Frequency f);
// Whether `period` is the key of a period of frequency `f` ("LOP" only for life_of_program).
bool valid_period(std::string_view period, Frequency f);
// First and last day of a period key of any frequency but life of program; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> period_bounds(std::string_view period);
// The periods of `f` that overlap [start, end] (valid dates, start <= end), in calendar order;
// {"LOP"} for life_of_program.
std::vector<std::string> periods_between(std::string_view start, std::string_view end, Frequency f);

}  // namespace gotong::analytics
