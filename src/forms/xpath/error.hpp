// Errors of the XPath engine: ExpressionError when text does not compile (with the 0-based byte
// offset of the problem), EvaluationError when a compiled expression fails on given data.
#pragma once

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>

namespace gotong::forms::xpath {

// `message` is the plain description ("unexpected ')'"); `what()` adds the offset
// ("unexpected ')' at 12") so a log line is self-contained.
class ExpressionError : public std::exception {
 public:
  ExpressionError(std::size_t position, std::string message);
  const char* what() const noexcept override { return what_.c_str(); }

  std::size_t position;
  std::string message;

 private:
  std::string what_;
};

// Raised while evaluating: unknown instance id, unresolved ${name}, a non-node-set where one is
// required, a regex input over the size limit, an unsupported digest algorithm. `position` is the
// byte offset of the sub-expression that failed.
class EvaluationError : public std::runtime_error {
 public:
  EvaluationError(std::size_t position, const std::string& message);
  std::size_t position;
};

}  // namespace gotong::forms::xpath
