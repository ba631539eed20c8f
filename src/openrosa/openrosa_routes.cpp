// The OpenRosa 1.0 endpoints ODK Collect and Enketo use, under the server URL
// `/openrosa/{org}` (or `/key/{token}/openrosa/{org}` with a device token in the URL):
// formList (Form List API), the XForm, its manifest and media (Form Manifest API), and
// submission (Form Submission API: HEAD to learn the size limit, POST multipart/form-data).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/text.hpp"
#include "domain/form_media.hpp"
#include "domain/forms.hpp"
#include "domain/submissions.hpp"
#include "http/multipart.hpp"
#include "openrosa/openrosa.hpp"

namespace gotong::api {

namespace forms = domain::forms;
namespace form_media = domain::form_media;
namespace submissions = domain::submissions;
using domain::Permission;
using openrosa::xml_escape;

namespace {

// The absolute URL of this server's OpenRosa root as the device reached it: Collect follows the
// download URLs of the form list as they are, so they keep the token of a /key/ URL.
std::string root_url(const Call& call) {
  std::string scheme = call.svc.settings.secure_cookies ? "https" : "http";
  if (call.svc.settings.trust_proxy) {
    auto proto = call.req.headers.get("X-Forwarded-Proto");
    if (proto && (*proto == "https" || *proto == "http")) scheme = std::string(*proto);
  }
  auto host = call.req.headers.get("Host");
  bool sane = host && !host->empty() && host->size() <= 255;
  for (char ch : host.value_or(""))
    sane = sane && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']');
  if (!sane) throw Error(ErrorCode::bad_request, "the request needs a valid Host header");
  std::string url = scheme + "://" + std::string(*host);
  if (auto token = call.params.get("token")) url += "/key/" + text::percent_encode(*token);
  return url + "/openrosa/" + text::percent_encode(call.param("org"));
}

std::string form_url(const Call& call, const std::string& xml_form_id) {
  return root_url(call) + "/forms/" + text::percent_encode(xml_form_id);
}

// A form devices may download: published and open (or closing: devices that have it may still
// update it). Other organisations' forms do not exist here (404).
forms::Form collectable(db::Connection& c, const Call& call) {
  forms::Form f = forms::get_by_xml_form_id(c, call.org(), call.param("xmlFormId"));
  if (!f.published || (f.state != "open" && f.state != "closing"))
    throw Error(ErrorCode::not_found, "the form '" + f.xml_form_id + "' is not open for data collection");
  return f;
}

http::Response form_list(Call& call) {
  openrosa::check_version_header(call.req, true);
  auto wanted = call.query().get("formID");
  std::string root = root_url(call);
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xforms "
      "xmlns=\"http://openrosa.org/xforms/xformsList\">\n";
  call.db().read([&](db::Connection& c) {
    // Only open forms are offered: closing ones still take submissions from devices that have them.
    for (const auto& f : forms::list(c, call.org(), false)) {
      if (!f.published || f.state != "open") continue;
      if (wanted && *wanted != f.xml_form_id) continue;
      const forms::Version& v = *f.published;
      std::string url = root + "/forms/" + text::percent_encode(f.xml_form_id);
      body += " <xform>\n  <formID>" + xml_escape(f.xml_form_id) + "</formID>\n  <name>" +
              xml_escape(f.title) + "</name>\n";
      if (!v.version.empty()) body += "  <version>" + xml_escape(v.version) + "</version>\n";
      body += "  <hash>" + xml_escape(v.xform_md5) + "</hash>\n  <downloadUrl>" + xml_escape(url) +
              "/form.xml</downloadUrl>\n";
      if (!form_media::of_version(c, call.org(), v.id).empty())
        body += "  <manifestUrl>" + xml_escape(url) + "/manifest</manifestUrl>\n";
      body += " </xform>\n";
    }
  });
  body += "</xforms>\n";
  return openrosa::xml_response(200, std::move(body));
}

http::Response form_xml(Call& call) {
  openrosa::check_version_header(call.req, false);
  auto file = call.db().read_value([&](db::Connection& c) {
    forms::Form f = collectable(c, call);
    return forms::xform(c, call.org(), f.id, false);
  });
  auto r = openrosa::xml_response(200, std::move(file.bytes));
  return r;
}

http::Response manifest(Call& call) {
  openrosa::check_version_header(call.req, true);
  std::string url = form_url(call, call.param("xmlFormId"));
  auto media = call.db().read_value([&](db::Connection& c) {
    forms::Form f = collectable(c, call);
    return form_media::of_version(c, call.org(), f.published->id);
  });
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest "
      "xmlns=\"http://openrosa.org/xforms/xformsManifest\">\n";
  for (const auto& m : media)
    body += " <mediaFile>\n  <filename>" + xml_escape(m.name) + "</filename>\n  <hash>" + xml_escape(m.md5) +
            "</hash>\n  <downloadUrl>" + xml_escape(url + "/media/" + text::percent_encode(m.name)) +
            "</downloadUrl>\n </mediaFile>\n";
  body += "</manifest>\n";
  return openrosa::xml_response(200, std::move(body));
}

http::Response media_file(Call& call) {
  openrosa::check_version_header(call.req, false);
  auto m = call.db().read_value([&](db::Connection& c) {
    forms::Form f = collectable(c, call);
    return form_media::get(c, call.org(), f.id, false, call.param("name"));
  });
  http::Response r;
  r.headers.set("Content-Type", m.content_type);
  r.headers.set("Content-Disposition", "attachment; filename*=UTF-8''" + text::percent_encode(m.name));
  // The bytes behind a name of a version never change: devices may keep them.
  r.headers.set("Cache-Control", "private, max-age=86400");
  openrosa::add_headers(r);
  r.body = call.attachments().read(m.sha256);
  return r;
}

// HEAD (and GET) submission: ODK Collect asks first, to authenticate and to learn the limit.
http::Response submission_head(Call& call) {
  openrosa::check_version_header(call.req, true);
  http::Response r;
  r.status = 204;
  r.headers.set("X-OpenRosa-Accept-Content-Length", std::to_string(openrosa::kMaxSubmissionBytes));
  openrosa::add_headers(r);
  return r;
}

std::string outcome_message(const submissions::Received& r) {
  std::string m;
  switch (r.outcome) {
    case submissions::Outcome::created:
      m = "Form received.";
      break;
    case submissions::Outcome::duplicate:
      return "This submission was already received; nothing changed.";
    case submissions::Outcome::completed:
      m = "Form received; its attachments were added.";
      break;
    case submissions::Outcome::edited:
      m = "Edited form received.";
      break;
  }
  if (r.attachments_present < r.attachments_expected)
    m += " " + std::to_string(r.attachments_expected - r.attachments_present) + " of " +
         std::to_string(r.attachments_expected) +
         " attachments are still missing: send the form again with them.";
  if (r.issue_count > 0)
    m += " It breaks " + std::to_string(r.issue_count) + (r.issue_count == 1 ? " rule" : " rules") +
         " of the form and was kept for review.";
  return m;
}

http::Response submission_post(Call& call) {
  openrosa::check_version_header(call.req, true);
  auto boundary = http::multipart_boundary(call.req.headers.get("Content-Type").value_or(""));
  if (!boundary)
    throw Error(
        ErrorCode::bad_request,
        "send the submission as multipart/form-data with the XML in a part named xml_submission_file");
  submissions::Incoming in;
  in.source = "openrosa";
  bool have_xml = false;
  for (const auto& part : http::parse_multipart(call.req.body, *boundary)) {
    if (part.name == "xml_submission_file") {
      if (have_xml)
        throw Error(ErrorCode::bad_request, "the request has more than one xml_submission_file part");
      have_xml = true;
      in.xml = std::string(part.body);
    } else if (part.filename && !part.filename->empty()) {
      // Collect names each attachment part after its file; fields without a file (such as
      // "*isIncomplete*" of a submission split over several requests) carry nothing to store.
      in.files.push_back(submissions::IncomingFile{*part.filename, part.content_type, part.body});
    }
  }
  if (!have_xml)
    throw Error(ErrorCode::bad_request, "the request has no xml_submission_file part (the form's XML)");
  if (auto device = call.query().get("deviceID");
      device && device->size() <= 200 && text::is_clean_utf8(*device))
    in.device_id = *device;
  // Answered once the group commit is on disk, without a thread waiting for it.
  auto later = std::make_shared<http::Later>();
  submissions::receive_async(call.db(), call.org(), call.attachments(), std::move(in),
                             [later](std::function<submissions::Received()> result) {
                               later->finish([result = std::move(result)] {
                                 auto received = result();
                                 int status = received.outcome == submissions::Outcome::duplicate ? 202 : 201;
                                 return openrosa::message_response(status, "submit_success",
                                                                   outcome_message(received));
                               });
                             });
  return http::deferred_response(std::move(later));
}

}  // namespace

void add_openrosa_routes(Routes& r) {
  // The same endpoints under both roots; handlers read {token} (when present) to build URLs.
  for (const std::string root : {"/openrosa/{org}", "/key/{token}/openrosa/{org}"}) {
    r.add("GET", root + "/formList", Access::device, Permission::read, form_list);
    r.add("GET", root + "/forms/{xmlFormId}/form.xml", Access::device, Permission::read, form_xml);
    r.add("GET", root + "/forms/{xmlFormId}/manifest", Access::device, Permission::read, manifest);
    r.add("GET", root + "/forms/{xmlFormId}/media/{name}", Access::device, Permission::read, media_file);
    r.add("GET", root + "/submission", Access::device, Permission::collect_data, submission_head);
    r.add("POST", root + "/submission", Access::device, Permission::collect_data, submission_post);
  }
}

}  // namespace gotong::api
