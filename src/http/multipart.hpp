// multipart/form-data (RFC 7578) parsing: how ODK Collect sends a submission with its
// attachments, and how browsers upload files. Parts point into the request body (no copies).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::http {

struct Part {
  std::string name;                     // form field name (Content-Disposition name=)
  std::optional<std::string> filename;  // set for file parts
  std::string content_type;             // "text/plain" when the part gives none
  std::string_view body;                // into the request body
};

struct MultipartLimits {
  std::size_t max_parts = 1000;
  std::size_t max_part_header_bytes = 8 * 1024;
};

// The boundary parameter of a multipart Content-Type, or nullopt when it is not multipart.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Throws Error(bad_request) describing the first defect: missing boundary line, unterminated
// part, part without a name, too many parts, header too long.
std::vector<Part> parse_multipart(std::string_view body, std::string_view boundary,
                                  const MultipartLimits& limits = {});

}  // namespace gotong::http
