// Form media (images, audio, CSV files a form refers to): attached to the form's draft as
// multipart uploads (field "file", one or more), listed, downloaded and removed. Devices get
// the published version's media through the OpenRosa manifest.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/text.hpp"
#include "domain/form_media.hpp"
#include "http/multipart.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace form_media = domain::form_media;
using domain::Permission;

namespace {

bool draft_param(const Call& call) { return call.query().get("draft").value_or("") == "true"; }

// Content-Disposition with the name percent-encoded (RFC 6266 filename*): names are UTF-8.
std::string disposition(std::string_view name) {
  return "attachment; filename*=UTF-8''" + text::percent_encode(name);
}

}  // namespace

void add_form_media_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/media", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    bool draft = draft_param(call);
    bj::array items;
    call.db().read([&](db::Connection& c) {
      for (const auto& m : form_media::list(c, call.org(), id, draft))
        items.push_back(form_media::to_json(m));
    });
    return page_response(std::move(items), std::nullopt);
  });

  r.add(
      "POST", "/api/v1/orgs/{org}/forms/{id}/media", Access::member, Permission::manage_forms,
      [](Call& call) {
        auto id = call.id_param("id");
        auto boundary = http::multipart_boundary(call.req.headers.get("Content-Type").value_or(""));
        if (!boundary)
          throw Error(ErrorCode::unsupported_media_type,
                      "upload media as multipart/form-data with one or more fields 'file'");
        std::vector<http::Part> files;
        for (auto& part : http::parse_multipart(call.req.body, *boundary)) {
          if (part.name != "file") continue;
          if (!part.filename || part.filename->empty()) throw invalid_field("file", "needs a file name");
          form_media::check_name(*part.filename);  // all names checked before any file is stored
          files.push_back(std::move(part));
        }
        if (files.empty()) throw invalid_field("file", "is required");
        bj::array items;
        for (const auto& part : files)
          items.push_back(form_media::to_json(form_media::put(call.db(), call.org(), call.attachments(), id,
                                                              *part.filename, part.content_type, part.body)));
        return json_response(201, bj::object{{"items", std::move(items)}});
      });

  r.add(
      "GET", "/api/v1/orgs/{org}/forms/{id}/media/{name}", Access::member, Permission::read, [](Call& call) {
        auto id = call.id_param("id");
        bool draft = draft_param(call);
        auto m = call.db().read_value(
            [&](db::Connection& c) { return form_media::get(c, call.org(), id, draft, call.param("name")); });
        http::Response resp;
        resp.headers.set("Content-Type", m.content_type);
        resp.headers.set("Content-Disposition", disposition(m.name));
        resp.body = call.attachments().read(m.sha256);
        return resp;
      });

  r.add("DELETE", "/api/v1/orgs/{org}/forms/{id}/media/{name}", Access::member, Permission::manage_forms,
        [](Call& call) {
          auto id = call.id_param("id");
          call.db().write(
              [&](db::Connection& c) { form_media::remove(c, call.org(), id, call.param("name")); });
          return no_content();
        });
}

}  // namespace gotong::api
