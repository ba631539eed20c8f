// Survey forms: upload an XLSForm or XForm as a draft (multipart, field "file"), publish it,
// change the form's state, download the XForm and the uploaded file.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/form_fields.hpp"
#include "domain/forms.hpp"
#include "http/multipart.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace forms = domain::forms;
using domain::Permission;

namespace {

http::Response file_response(const forms::File& f) {
  http::Response r;
  r.headers.set("Content-Type", f.content_type);
  // The name is ours or was checked on upload; quotes are dropped to keep the header well-formed.
  std::string name;
  for (char ch : f.name)
    if (ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20) name.push_back(ch);
  r.headers.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.body = f.bytes;
  return r;
}

bool draft_param(const Call& call) { return call.query().get("draft").value_or("") == "true"; }

}  // namespace

void add_form_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/forms", Access::member, Permission::read, [](Call& call) {
    bool archived = call.query().get("archived").value_or("") == "true";
    bj::array items;
    call.db().read([&](db::Connection& c) {
      for (const auto& f : forms::list(c, call.org(), archived)) items.push_back(forms::to_json(f));
    });
    return page_response(std::move(items), std::nullopt);
  });

  r.add("POST", "/api/v1/orgs/{org}/forms", Access::member, Permission::manage_forms, [](Call& call) {
    auto ct = call.req.headers.get("Content-Type").value_or("");
    auto boundary = http::multipart_boundary(ct);
    if (!boundary)
      throw Error(ErrorCode::unsupported_media_type, "upload the form as multipart/form-data with a field 'file'");
    std::optional<forms::Upload> upload;
    for (const auto& part : http::parse_multipart(call.req.body, *boundary)) {
      if (part.name != "file") continue;
      if (!part.filename || part.filename->empty()) throw invalid_field("file", "needs a file name (.xlsx, .xls or .xml)");
      // Conversion is CPU work on this worker thread, outside any database job.
      upload = forms::make_upload(*part.filename, std::string(part.body));
    }
    if (!upload) throw invalid_field("file", "is required");
    auto f = call.db().write_value([&](db::Connection& c) { return forms::save_draft(c, call.org(), *upload); });
    return versioned_response(201, forms::to_json(f), f.version);
  });

  r.add("GET", "/api/v1/orgs/{org}/forms/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto f = call.db().read_value([&](db::Connection& c) { return forms::get(c, call.org(), id); });
    return versioned_response(200, forms::to_json(f), f.version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/forms/{id}", Access::member, Permission::manage_forms, [](Call& call) {
    auto id = call.id_param("id");
    auto body = call.body();
    auto version = call.if_match();
    std::string state = json::required_string(body, "state", 20);
    auto f = call.db().write_value([&](db::Connection& c) { return forms::set_state(c, call.org(), id, version, state); });
    return versioned_response(200, forms::to_json(f), f.version);
  });

  r.add("POST", "/api/v1/orgs/{org}/forms/{id}/publish", Access::member, Permission::manage_forms, [](Call& call) {
    auto id = call.id_param("id");
    auto f = call.db().write_value([&](db::Connection& c) { return forms::publish(c, call.org(), id); });
    return versioned_response(200, forms::to_json(f), f.version);
  });

  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/versions", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    bj::array items;
    call.db().read([&](db::Connection& c) {
      for (const auto& v : forms::versions(c, call.org(), id)) items.push_back(forms::to_json(v));
    });
    return page_response(std::move(items), std::nullopt);
  });

  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/xform", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    bool draft = draft_param(call);
    return file_response(call.db().read_value([&](db::Connection& c) { return forms::xform(c, call.org(), id, draft); }));
  });

  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/fields", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    bool draft = draft_param(call);
    return json_response(200, call.db().read_value([&](db::Connection& c) {
      return domain::forms::fields(c, call.org(), id, draft);
    }));
  });

  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/source", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    bool draft = draft_param(call);
    return file_response(call.db().read_value([&](db::Connection& c) { return forms::source(c, call.org(), id, draft); }));
  });
}

}  // namespace gotong::api
