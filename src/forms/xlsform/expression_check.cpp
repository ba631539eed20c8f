#include "forms/xlsform/expression_check.hpp"

#include <vector>

#include "forms/xpath/expression.hpp"

namespace gotong::forms::xlsform {

namespace {

// Balanced (), [] and quotes, with ${...} references skipped whole. Positions point at the
// offending character so the message can say where to look.
std::optional<ExpressionProblem> check_balance(std::string_view text) {
  std::vector<std::size_t> open;  // positions of unmatched '(' and '['
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    // Excel turns ' and " into typographic quotes as people type; XPath only knows the plain ones.
    for (std::string_view curly : {"\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x9D"}) {
      if (text.substr(i, curly.size()) == curly)
        return ExpressionProblem{i, "typographic quote " + std::string(curly) +
                                        " (Excel's autocorrect): use a straight quote ' or \""};
    }
    if (c == '\'' || c == '"') {
      auto end = text.find(c, i + 1);
      if (end == std::string_view::npos) {
        return ExpressionProblem{i, std::string("unterminated string starting with ") + c};
      }
      i = end;
    } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      auto end = text.find('}', i + 2);
      if (end == std::string_view::npos) return ExpressionProblem{i, "'${' without a closing '}'"};
      i = end;
    } else if (c == '(' || c == '[') {
      open.push_back(i);
    } else if (c == ')' || c == ']') {
      char expected = c == ')' ? '(' : '[';
      if (open.empty()) return ExpressionProblem{i, std::string("unexpected '") + c + "'"};
      if (text[open.back()] != expected) {
        return ExpressionProblem{i, std::string("'") + c + "' does not match '" + text[open.back()] + "'"};
      }
      open.pop_back();
    } else if (c == '{' || c == '}') {
      return ExpressionProblem{i, std::string("unexpected '") + c + "'"};
    }
  }
  if (!open.empty()) {
    return ExpressionProblem{open.back(), std::string("'") + text[open.back()] + "' is never closed"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ExpressionProblem> validate_expression(std::string_view expression) {
  if (auto problem = check_balance(expression)) return problem;
  // The full ODK XPath grammar, function names and argument counts. ${name} references are
  // checked against the form's names elsewhere; here they parse as opaque paths.
  if (auto e = xpath::check(expression)) return ExpressionProblem{e->position, e->message};
  return std::nullopt;
}

}  // namespace gotong::forms::xlsform
