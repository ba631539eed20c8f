// OpenRosa 1.0 (ODK Collect, Enketo) on top of the API pipeline: which paths speak it, how field
// devices prove who they are, and how answers look (OpenRosaResponse XML, which Collect shows).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "api/call.hpp"
#include "base/error.hpp"
#include "domain/auth.hpp"
#include "http/message.hpp"

namespace gotong::openrosa {

// Largest submission (XML plus attachments) a device may POST; announced by HEAD submission.
inline constexpr std::size_t kMaxSubmissionBytes = std::size_t{100} << 20;

// "/openrosa/{org}/..." and "/key/{token}/openrosa/{org}/..." (a device token in the server URL,
// for phones that cannot keep a password, like ODK Central's app users).
bool is_openrosa_path(std::string_view path);

// Who is calling an OpenRosa route: the API token in the path, else `Authorization: Bearer
// gotong_...`, else HTTP Basic with e-mail and password (throttled and audited like a login).
// Error(unauthenticated) without credentials or with wrong ones (answered with a Basic
// challenge), Error(forbidden) for an unknown or revoked token in the path: no password can
// fix that URL, so the device must not be asked for one.
domain::auth::Authenticated authenticate(api::Call& call);

// Error(bad_request) unless the request says `X-OpenRosa-Version: 1.0`; when not `required`
// (plain file downloads) only a different version is refused.
void check_version_header(const http::Request& req, bool required);

// Adds X-OpenRosa-Version (every OpenRosa response has it; the server adds Date).
void add_headers(http::Response& r);

// An error on an OpenRosa path: an OpenRosaResponse XML message with the error's status, which
// Collect shows to the enumerator; an RFC 9457 problem instead when the client asks for JSON
// (Accept: application/json or application/problem+json without XML). 401 carries the Basic
// challenge, 429 Retry-After.
http::Response error_response(const Error& e, const http::Request& req);

// XML text and attribute escaping; characters XML 1.0 cannot hold become U+FFFD.
std::string xml_escape(std::string_view s);
// `text/xml` response with the OpenRosa headers.
http::Response xml_response(int status, std::string body);
// <OpenRosaResponse xmlns="http://openrosa.org/http/response"><message nature="...">
http::Response message_response(int status, std::string_view nature, std::string_view message);

}  // namespace gotong::openrosa
