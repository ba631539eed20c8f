// The OpenRosa helpers that need no server: which paths speak OpenRosa, XML escaping of text
// that comes from users (form titles, file names, error messages), and error answers.
#include "openrosa/openrosa.hpp"

#include <gtest/gtest.h>

namespace gotong::openrosa {

TEST(OpenRosa, PathsThatSpeakOpenRosa) {
  EXPECT_TRUE(is_openrosa_path("/openrosa/demo/formList"));
  EXPECT_TRUE(is_openrosa_path("/key/gotong_abc/openrosa/demo/submission"));
  EXPECT_FALSE(is_openrosa_path("/key/gotong_abc/api/v1/me"));
  EXPECT_FALSE(is_openrosa_path("/key/openrosa/demo"));
  EXPECT_FALSE(is_openrosa_path("/api/v1/orgs/demo/forms"));
  EXPECT_FALSE(is_openrosa_path("/openrosa"));
}

TEST(OpenRosa, XmlEscapeKeepsTextAndDropsWhatXmlCannotHold) {
  EXPECT_EQ(xml_escape("Survei <Air> & \"Sanitasi\" 'desa'"),
            "Survei &lt;Air&gt; &amp; &quot;Sanitasi&quot; &apos;desa&apos;");
  EXPECT_EQ(xml_escape("Désa Bosen\tä\n"), "Désa Bosen\tä\n");
  EXPECT_EQ(xml_escape("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");  // 4-byte UTF-8 kept
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b",
                                   3)),
            "a" + replacement + "b");
  EXPECT_EQ(xml_escape("\xC3"), replacement);                                      // truncated sequence
  EXPECT_EQ(xml_escape("\xC0\xAF"), replacement + replacement);                    // overlong '/'
  EXPECT_EQ(xml_escape("\xED\xA0\x80"), replacement + replacement + replacement);  // surrogate
}

TEST(OpenRosa, ErrorsAreOpenRosaResponsesUnlessJsonIsAsked) {
  http::Request req;
  req.path = "/openrosa/demo/formList";
  req.request_id = "r1";
  auto r = error_response(Error(ErrorCode::unauthenticated, "sign in <now>"), req);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.get("X-OpenRosa-Version").value_or(""), "1.0");
  EXPECT_EQ(r.headers.get("WWW-Authenticate").value_or("").substr(0, 20), "Basic realm=\"Gotong\"");
  EXPECT_NE(r.body.find("<message nature=\"error\">sign in &lt;now&gt;</message>"), std::string::npos)
      << r.body;

  r = error_response(invalid_field("file", "is required"), req);
  EXPECT_EQ(r.status, 422);
  EXPECT_FALSE(r.headers.get("WWW-Authenticate"));

  req.headers.set("Accept", "application/json");
  r = error_response(Error(ErrorCode::not_found, "no form"), req);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(r.headers.get("X-OpenRosa-Version").value_or(""), "1.0");
  req.headers.set("Accept", "text/xml, application/json");
  r = error_response(Error(ErrorCode::not_found, "no form"), req);
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "text/xml; charset=utf-8");
}

}  // namespace gotong::openrosa
