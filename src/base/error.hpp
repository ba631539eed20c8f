// The one error type of Gotong: a code from one enum plus a message and, for validation,
// field-level details. http/problem.cpp maps each code to an HTTP status and RFC 9457 type.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gotong {

enum class ErrorCode {
  bad_request,            // malformed input (JSON that does not parse, bad query parameter)
  validation,            // well-formed input that breaks a rule; see details
  unauthenticated,       // no or invalid credentials
  forbidden,             // signed in but the role does not allow it (or CSRF failed)
  not_found,             // no such thing, or not visible to this organisation
  method_not_allowed,
  conflict,              // duplicate, or a state that forbids the change
  precondition_failed,   // If-Match does not match the current version
  precondition_required, // an update without If-Match
  payload_too_large,
  unsupported_media_type,
  too_many_requests,     // throttled; retry_after_seconds says when to try again
  unavailable,           // shutting down or overloaded
  internal,
};

struct FieldError {
  std::string field;    // JSON pointer-like name, e.g. "email" or "targets[2].value"
  std::string message;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::vector<FieldError> details = {})
      : std::runtime_error(std::move(message)), code_(code), details_(std::move(details)) {}

  ErrorCode code() const { return code_; }
  const std::vector<FieldError>& details() const { return details_; }
  int retry_after_seconds() const { return retry_after_; }
  Error& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

 private:
  ErrorCode code_;
  std::vector<FieldError> details_;
  int retry_after_ = 0;
};

// Shorthand for a validation error about one field.
Error invalid_field(std::string field, std::string message);

struct ErrorInfo {
  int http_status;
  std::string_view slug;   // the last part of the problem type URI
  std::string_view title;  // short, human, stable
};

// The single table from codes to HTTP status and problem type.
const ErrorInfo& error_info(ErrorCode code);

}  // namespace gotong
