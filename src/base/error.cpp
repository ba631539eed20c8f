#include "base/error.hpp"

namespace gotong {

Error invalid_field(std::string field, std::string message) {
  std::string summary = field + ": " + message;
  return Error(ErrorCode::validation, std::move(summary), {{std::move(field), std::move(message)}});
}

const ErrorInfo& error_info(ErrorCode code) {
  static const ErrorInfo table[] = {
      {400, "bad-request", "Bad request"},
      {422, "validation", "Invalid input"},
      {401, "unauthenticated", "Not signed in"},
      {403, "forbidden", "Not allowed"},
      {404, "not-found", "Not found"},
      {405, "method-not-allowed", "Method not allowed"},
      {409, "conflict", "Conflict"},
      {412, "precondition-failed", "Changed by someone else"},
      {428, "precondition-required", "If-Match required"},
      {413, "payload-too-large", "Request body too large"},
      {415, "unsupported-media-type", "Unsupported media type"},
      {429, "too-many-requests", "Too many requests"},
      {503, "unavailable", "Service unavailable"},
      {500, "internal-error", "Internal error"},
  };
  static_assert(sizeof(table) / sizeof(table[0]) == static_cast<int>(ErrorCode::internal) + 1,
                "every ErrorCode needs a row");
  return table[static_cast<int>(code)];
}

}  // namespace gotong
