// Small rules shared by the XForm and submission readers: element names compared without their
// namespace prefix (forms spell "jr:", "odk:", "h:" as they like), and the nesting limit that
// keeps hostile documents cheap.
#pragma once

#include <string_view>

namespace gotong::forms::xform {

inline constexpr int kMaxXmlDepth = 64;

// "jr:constraintMsg" → "constraintMsg".
inline std::string_view local_name(std::string_view name) {
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace gotong::forms::xform
