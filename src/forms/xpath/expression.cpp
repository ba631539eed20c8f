#include "forms/xpath/expression.hpp"

#include <stdexcept>

#include "forms/xpath/ast.hpp"
#include "forms/xpath/evaluator.hpp"

namespace gotong::forms::xpath {

const Program& Expression::program() const {
  if (program_ == nullptr) throw std::logic_error("evaluating an empty xpath::Expression");
  return *program_;
}

const std::string& Expression::text() const {
  static const std::string kEmpty;
  return program_ == nullptr ? kEmpty : program_->source;
}

Value Expression::evaluate(const EvalContext& context) const {
  const Program& p = program();
  Evaluator evaluator(p, context);
  Value v = evaluator.eval(p.root, evaluator.top());
  // Literals are borrowed from the program; the caller may outlive this Expression.
  if (v.type() == ValueType::String) return Value::string(std::string(v.text()));
  return v;
}

bool Expression::evaluate_boolean(const EvalContext& context) const {
  const Program& p = program();
  Evaluator evaluator(p, context);
  return evaluator.eval_boolean(p.root, evaluator.top());
}

double Expression::evaluate_number(const EvalContext& context) const {
  const Program& p = program();
  Evaluator evaluator(p, context);
  return evaluator.eval_number(p.root, evaluator.top());
}

std::string Expression::evaluate_string(const EvalContext& context) const {
  const Program& p = program();
  Evaluator evaluator(p, context);
  return evaluator.eval_string(p.root, evaluator.top());
}

Expression compile(std::string_view text, const CompileOptions& options) {
  return Expression(parse(text, options));
}

std::optional<ExpressionError> check(std::string_view text, const CompileOptions& options) {
  try {
    parse(text, options);
    return std::nullopt;
  } catch (const ExpressionError& e) {
    return e;
  }
}

}  // namespace gotong::forms::xpath
