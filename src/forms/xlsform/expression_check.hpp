// The one place where XLSForm expressions (relevant, constraint, calculation...) are checked
// before a form is accepted: balanced brackets and quotes first (the clearest messages), then
// the full ODK XPath check of forms/xpath.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gotong::forms::xlsform {

struct ExpressionProblem {
  std::size_t position = 0;  // 0-based byte offset into the expression as written
  std::string message;
};

// `expression` is as written in the sheet, ${name} references included (they are checked
// separately, against the form's names).
std::optional<ExpressionProblem> validate_expression(std::string_view expression);

}  // namespace gotong::forms::xlsform
