// The ODK XPath engine's entry points: check() an expression for a form validator, compile() it
// once, then evaluate the Expression over many instances.
//
//   auto e = xpath::compile("/data/age >= 18 and selected(/data/roles, 'head')");
//   xpath::EvalContext ctx;
//   ctx.context = submission.find("/data/age");
//   bool ok = e.evaluate_boolean(ctx);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "forms/xpath/context.hpp"
#include "forms/xpath/error.hpp"
#include "forms/xpath/instance.hpp"
#include "forms/xpath/parser.hpp"
#include "forms/xpath/references.hpp"
#include "forms/xpath/value.hpp"

namespace gotong::forms::xpath {

struct Program;

// A compiled expression: immutable, cheap to copy (shared), safe to evaluate from several
// threads at once.
class Expression {
 public:
  // An empty expression; evaluating it throws std::logic_error. Lets Expression sit in structs.
  Expression() = default;
  explicit Expression(std::shared_ptr<const Program> program) : program_(std::move(program)) {}

  // Throw EvaluationError. The result's node-sets point into the context's instances.
  Value evaluate(const EvalContext& context) const;
  bool evaluate_boolean(const EvalContext& context) const;
  double evaluate_number(const EvalContext& context) const;
  std::string evaluate_string(const EvalContext& context) const;

  bool empty() const { return program_ == nullptr; }
  const std::string& text() const;

 private:
  const Program& program() const;
  std::shared_ptr<const Program> program_;
};

// Throws ExpressionError.
Expression compile(std::string_view text, const CompileOptions& options = {});
// nullopt when the expression compiles.
std::optional<ExpressionError> check(std::string_view text, const CompileOptions& options = {});

}  // namespace gotong::forms::xpath
