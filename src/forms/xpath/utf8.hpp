// UTF-8 helpers for the XPath string functions, which count characters (code points), not bytes.
// Malformed bytes are never rejected: each one counts as a single character and is copied as is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gotong::forms::xpath::utf8 {

// Decodes the character starting at byte `i` and advances `i` past it. A malformed sequence
// yields the single byte's value and advances by one.
char32_t next(std::string_view s, std::size_t& i);
std::size_t length(std::string_view s);
// Byte offset of character number `index` (0-based); s.size() when past the end.
std::size_t offset_of(std::string_view s, std::size_t index);
void append(std::string& out, char32_t c);

// Simple case mappings for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic: enough for the
// languages our forms are written in; other characters are returned unchanged.
char32_t to_lower(char32_t c);
char32_t to_upper(char32_t c);

}  // namespace gotong::forms::xpath::utf8
