#include "forms/xpath/regex.hpp"

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

}  // namespace

std::regex compile_regex(std::string_view pattern) {
  if (pattern.size() > kMaxRegexPatternBytes) {
    throw std::invalid_argument("regular expression is longer than " +
                                std::to_string(kMaxRegexPatternBytes) + " bytes");
  }
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
