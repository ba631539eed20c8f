#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace gotong::http {

namespace {
std::string odk_body() {
  return "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"xml_submission_file\"; filename=\"submission.xml\"\r\n"
         "Content-Type: text/xml\r\n\r\n"
         "<data id=\"hh\"><a>1</a></data>\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"photo.jpg\"; filename=\"photo; 1.jpg\"\r\n"
         "Content-Type: image/jpeg\r\n\r\n"
         "\xFF\xD8\xFF\r\n--X not the boundary\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"*isIncomplete*\"\r\n\r\n"
         "no\r\n"
         "--XyZ--\r\n";
}
}  // namespace

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("application/json"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=\"unclosed"));  // found by fuzzing
}

TEST(Multipart, ParsesAnOdkSubmission) {
  std::string body = odk_body();
  auto parts = parse_multipart(body, "XyZ");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "xml_submission_file");
  EXPECT_EQ(parts[0].filename, "submission.xml");
  EXPECT_EQ(parts[0].content_type, "text/xml");
  EXPECT_EQ(parts[0].body, "<data id=\"hh\"><a>1</a></data>");
  EXPECT_EQ(parts[1].filename, "photo; 1.jpg");
  EXPECT_EQ(parts[1].body, "\xFF\xD8\xFF\r\n--X not the boundary");
  EXPECT_EQ(parts[2].name, "*isIncomplete*");
  EXPECT_FALSE(parts[2].filename);
  EXPECT_EQ(parts[2].content_type, "text/plain");
  EXPECT_EQ(parts[2].body, "no");
}

TEST(Multipart, DefectsAreBadRequests) {
  std::string body = odk_body();
  EXPECT_THROW(parse_multipart(body, "Other"), Error);
  EXPECT_THROW(parse_multipart(body.substr(0, body.size() - 9), "XyZ"), Error);  // no closing boundary
  EXPECT_THROW(parse_multipart("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "XyZ"), Error);
  EXPECT_THROW(parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--", "XyZ"), Error);
  MultipartLimits few;
  few.max_parts = 2;
  EXPECT_THROW(parse_multipart(body, "XyZ", few), Error);
}

TEST(Multipart, NeverCrashesOnTruncations) {
  std::string body = odk_body();
  for (std::size_t n = 0; n < body.size(); ++n) {
    try {
      parse_multipart(std::string_view(body).substr(0, n), "XyZ");
    } catch (const Error&) {
    }
  }
}

}  // namespace gotong::http
