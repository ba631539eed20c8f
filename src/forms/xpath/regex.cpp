#include "forms/xpath/regex.hpp"

#include <cctype>
#include <stdexcept>
#include <string>

namespace gotong::forms::xpath {

namespace {

std::regex_constants::syntax_option_type flags() {
  auto f = std::regex::ECMAScript;
#if defined(__GLIBCXX__)
  // libstdc++'s breadth-first matcher: polynomial time and no recursion per input character,
  // at the price of refusing back-references.
  f |= std::regex_constants::__polynomial;
#endif
  return f;
}

// The largest count a quantifier such as {2,5} may have. libstdc++ builds one copy of the
// quantified part per count, and reads the number into a `long` without checking for overflow
// (found by fuzzing): a form's regex must not cost memory or undefined behaviour.
constexpr long kMaxRepeatCount = 1000;

// Throws when a {n} / {n,m} quantifier (outside a character class, not escaped) counts too high,
// or a backslash is followed by more than three digits.
void check_repeat_counts(std::string_view p) {
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char ch = p[i];
    if (ch == '\\') {
      // \1 and up are back-references, whose number libstdc++ reads unchecked as well.
      std::size_t digits = 0;
      while (i + 1 + digits < p.size() && std::isdigit(static_cast<unsigned char>(p[i + 1 + digits]))) ++digits;
      if (digits > 3) throw std::invalid_argument("a number after \\ in the regular expression is too long");
      ++i;
    } else if (in_class) {
      if (ch == ']') in_class = false;
    } else if (ch == '[') {
      in_class = true;
    } else if (ch == '{') {
      long value = 0;
      for (std::size_t j = i + 1; j < p.size() && (std::isdigit(static_cast<unsigned char>(p[j])) || p[j] == ',');
           ++j) {
        if (p[j] == ',') {
          value = 0;
          continue;
        }
        value = value * 10 + (p[j] - '0');
        if (value > kMaxRepeatCount)
          throw std::invalid_argument("a repeat count in the regular expression is larger than " +
                                      std::to_string(kMaxRepeatCount));
      }
    }
  }
}

}  // namespace

std::regex compile_regex(std::string_view pattern) {
  if (pattern.size() > kMaxRegexPatternBytes) {
    throw std::invalid_argument("regular expression is longer than " +
                                std::to_string(kMaxRegexPatternBytes) + " bytes");
  }
  check_repeat_counts(pattern);
  try {
    return std::regex(pattern.begin(), pattern.end(), flags());
  } catch (const std::regex_error& e) {
    throw std::invalid_argument(std::string("invalid regular expression: ") + e.what());
  }
}

bool regex_search(const std::regex& re, std::string_view input) {
  if (input.size() > kMaxRegexInputBytes) {
    throw std::length_error("regex() input is longer than " + std::to_string(kMaxRegexInputBytes) +
                            " bytes");
  }
  return std::regex_search(input.begin(), input.end(), re);
}

}  // namespace gotong::forms::xpath
