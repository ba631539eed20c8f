// Finds XLSForm ${name} references in an expression so the XLSForm layer can resolve each name
// to a path and point at the exact place of an unknown one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::forms::xpath {

struct Reference {
  std::string name;          // "age" for ${age}
  std::size_t position = 0;  // byte offset of the '$'
  std::size_t length = 0;    // bytes of the whole "${age}"
  bool in_literal = false;   // inside a quoted string, e.g. jr:choice-name(${q}, '${q}')
};

// All well-formed references in source order; malformed ones ("${", "${}") are left to check().
std::vector<Reference> find_references(std::string_view text);

}  // namespace gotong::forms::xpath
