#include "http/gzip.hpp"
#include "http/gunzip_for_tests.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <stdexcept>
#include <string>

namespace gotong::http {
namespace {

using testing::gunzip;


TEST(GzipCompress, RoundTripsText) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "{\"desa\":\"Sukamaju\",\"idm\":0.7072},";
  std::string gz = gzip_compress(text);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_LT(gz.size(), text.size() / 10);
  EXPECT_EQ(gunzip(gz), text);
}

TEST(GzipCompress, RoundTripsEmptyAndBinary) {
  EXPECT_EQ(gunzip(gzip_compress("")), "");
  std::mt19937 rng(7);
  std::string noise(300000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_EQ(gunzip(gzip_compress(noise)), noise);  // incompressible input grows the output buffer
  std::string zeros(5'000'000, '\0');
  EXPECT_EQ(gunzip(gzip_compress(zeros, 1)), zeros);
}

TEST(GzipCompress, ClampsLevel) {
  EXPECT_EQ(gunzip(gzip_compress("abcabcabc", 42)), "abcabcabc");
  EXPECT_EQ(gunzip(gzip_compress("abcabcabc", -5)), "abcabcabc");
}

TEST(AcceptsGzip, PlainLists) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("deflate,GZIP"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("  br ,  gzip  "));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(AcceptsGzip, QValues) {
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzip;Q=0.0, deflate"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.001"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("gzip ; q=1.0"));
  EXPECT_TRUE(accepts_gzip("br;q=1, gzip;q=0.8"));
  EXPECT_TRUE(accepts_gzip("gzip;level=9"));  // unknown parameters are ignored
  // Malformed q-values count as "not acceptable": uncompressed is always safe.
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.0001"));
  EXPECT_FALSE(accepts_gzip("gzip;q=1.5"));
  EXPECT_FALSE(accepts_gzip("gzip;q="));
}

TEST(AcceptsGzip, Wildcard) {
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("br, *;q=0.1"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));  // the explicit entry wins
  EXPECT_TRUE(accepts_gzip("*;q=0, gzip"));
}

TEST(CompressibleType, KnownTypes) {
  EXPECT_TRUE(is_compressible_type("text/html"));
  EXPECT_TRUE(is_compressible_type("text/csv; charset=utf-8"));
  EXPECT_TRUE(is_compressible_type("application/json"));
  EXPECT_TRUE(is_compressible_type("Application/JSON;charset=UTF-8"));
  EXPECT_TRUE(is_compressible_type("application/problem+json"));
  EXPECT_TRUE(is_compressible_type("application/javascript"));
  EXPECT_TRUE(is_compressible_type("application/xml"));
  EXPECT_TRUE(is_compressible_type("application/xhtml+xml"));
  EXPECT_TRUE(is_compressible_type("image/svg+xml"));
  EXPECT_TRUE(is_compressible_type(" text/plain "));
}

TEST(CompressibleType, OtherTypes) {
  EXPECT_FALSE(is_compressible_type(""));
  EXPECT_FALSE(is_compressible_type("text/"));
  EXPECT_FALSE(is_compressible_type("image/png"));
  EXPECT_FALSE(is_compressible_type("application/zip"));
  EXPECT_FALSE(is_compressible_type("application/octet-stream"));
  EXPECT_FALSE(is_compressible_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
  EXPECT_FALSE(is_compressible_type("application/jsonp"));
}

}  // namespace
}  // namespace gotong::http
