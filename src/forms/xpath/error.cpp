#include "forms/xpath/error.hpp"

#include <utility>

namespace gotong::forms::xpath {

ExpressionError::ExpressionError(std::size_t pos, std::string msg)
    : position(pos), message(std::move(msg)), what_(message + " at " + std::to_string(pos)) {}

EvaluationError::EvaluationError(std::size_t pos, const std::string& message)
    : std::runtime_error(message), position(pos) {}

}  // namespace gotong::forms::xpath
