// regex(value, pattern): ECMAScript patterns searched anywhere in the value (anchor with ^ $),
// run so that hostile patterns or inputs cannot take exponential time or overflow the stack.
#pragma once

#include <cstddef>
#include <regex>
#include <string_view>

namespace gotong::forms::xpath {

inline constexpr std::size_t kMaxRegexPatternBytes = 1000;
// Searching is quadratic in the input length in the worst case; constraints check short answers.
inline constexpr std::size_t kMaxRegexInputBytes = 2048;

// Throws std::invalid_argument with a readable message for a bad or too long pattern.
std::regex compile_regex(std::string_view pattern);
// Throws std::length_error when `input` is longer than kMaxRegexInputBytes.
bool regex_search(const std::regex& re, std::string_view input);

}  // namespace gotong::forms::xpath
