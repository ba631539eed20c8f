// Parses ODK XPath text into a Program (see ast.hpp), checking function names, argument counts,
// literal regex patterns and nesting depth so that errors surface when a form is uploaded.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "forms/xpath/ast.hpp"

namespace gotong::forms::xpath {

// Deeper nesting (parentheses, function arguments, predicates, unary minus) is refused, which
// bounds the recursion of both parser and evaluator. Real forms stay far below it.
inline constexpr std::size_t kMaxNesting = 100;

struct CompileOptions {
  // Turns an XLSForm ${name} into the text of a path ("/data/group/name"); nullopt means the
  // name is unknown, which is a compile error. Without a resolver ${name} stays a Ref node:
  // such an expression can be checked but not evaluated. Like pyxform, references inside string
  // literals are replaced too (for jr:choice-name(${q}, '${q}')).
  std::function<std::optional<std::string>(std::string_view name)> resolve_reference;
};

// Throws ExpressionError.
std::shared_ptr<const Program> parse(std::string_view text, const CompileOptions& options = {});

}  // namespace gotong::forms::xpath
