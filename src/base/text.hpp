// Text helpers: folding names for case- and accent-insensitive search, and small string tools.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gotong::text {

// Lower-case ASCII with Latin accents removed and punctuation turned into single spaces,
// trimmed: "Ma'rang  Utara" → "ma rang utara", "Désa" → "desa". Used for search keys.
std::string fold(std::string_view utf8);
// Splits a folded string into its words.
std::vector<std::string> words(std::string_view folded);
std::string trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
// True if `s` is valid UTF-8 without control characters other than tab/newline.
bool is_clean_utf8(std::string_view s);
// RFC 3986: every byte but the unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX.
std::string percent_encode(std::string_view s);

}  // namespace gotong::text
