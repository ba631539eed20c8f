// Response compression for the HTTP server: gzip with zlib, and the two questions the server
// asks before using it (does the client accept gzip, is the content type worth compressing).
// Kept apart from server.cpp so it is unit-tested without Beast.
#pragma once

#include <string>
#include <string_view>

namespace gotong::http {

// The gzip file format (RFC 1952) of `data`; level 0 (store) to 9 (smallest).
// Throws std::runtime_error when zlib fails (out of memory).
std::string gzip_compress(std::string_view data, int level = 6);

// True when an Accept-Encoding field value gives gzip (or x-gzip, or "*" when gzip is not
// named) a q-value above zero. An empty or malformed field gives false: sending the body
// uncompressed is always correct.
bool accepts_gzip(std::string_view accept_encoding);
// The same question for any content coding ("br"); "x-gzip" counts as "gzip".
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

// True for media types that compress well: text/*, JSON, JavaScript, XML, SVG, CSV.
// Parameters such as "; charset=utf-8" are ignored; the comparison ignores case.
bool is_compressible_type(std::string_view content_type);

}  // namespace gotong::http
