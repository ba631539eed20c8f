#include "forms/xpath/digest.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "forms/xpath/test_support.hpp"

namespace gotong::forms::xpath {
namespace {

std::string hex(DigestAlgorithm a, std::string_view data) { return to_hex(digest(a, data)); }

TEST(XpathDigest, Md5Rfc1321Suite) {
  EXPECT_EQ(hex(DigestAlgorithm::Md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex(DigestAlgorithm::Md5, "a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(hex(DigestAlgorithm::Md5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(DigestAlgorithm::Md5, "message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(hex(DigestAlgorithm::Md5, "abcdefghijklmnopqrstuvwxyz"),
            "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(hex(DigestAlgorithm::Md5,
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(XpathDigest, Sha1) {
  EXPECT_EQ(hex(DigestAlgorithm::Sha1, ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex(DigestAlgorithm::Sha1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(DigestAlgorithm::Sha1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex(DigestAlgorithm::Sha1, "The quick brown fox jumps over the lazy dog"),
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
  EXPECT_EQ(hex(DigestAlgorithm::Sha1, std::string(1000000, 'a')),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(XpathDigest, Sha2) {
  EXPECT_EQ(hex(DigestAlgorithm::Sha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(DigestAlgorithm::Sha384, ""),
            "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2"
            "f14898b95b");
  EXPECT_EQ(hex(DigestAlgorithm::Sha384, "abc"),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baec"
            "a134c825a7");
  EXPECT_EQ(hex(DigestAlgorithm::Sha512, ""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318"
            "d2877eec2f63b931bd47417a81a538327af927da3e");
}

TEST(XpathDigest, AlgorithmNames) {
  EXPECT_EQ(parse_digest_algorithm("MD5"), DigestAlgorithm::Md5);
  EXPECT_EQ(parse_digest_algorithm("sha-1"), DigestAlgorithm::Sha1);
  EXPECT_EQ(parse_digest_algorithm("SHA-256"), DigestAlgorithm::Sha256);
  EXPECT_EQ(parse_digest_algorithm("SHA-384"), DigestAlgorithm::Sha384);
  EXPECT_EQ(parse_digest_algorithm("SHA-512"), DigestAlgorithm::Sha512);
  EXPECT_FALSE(parse_digest_algorithm("SHA256"));
  EXPECT_FALSE(parse_digest_algorithm(""));
}

TEST(XpathDigest, Base64Rfc4648) {
  const char* cases[][2] = {{"", ""},
                            {"f", "Zg=="},
                            {"fo", "Zm8="},
                            {"foo", "Zm9v"},
                            {"foob", "Zm9vYg=="},
                            {"fooba", "Zm9vYmE="},
                            {"foobar", "Zm9vYmFy"}};
  for (const auto& c : cases) {
    EXPECT_EQ(base64_encode(c[0]), c[1]);
    EXPECT_EQ(base64_decode(c[1]), c[0]);
  }
  EXPECT_EQ(base64_decode("Zm9v\nYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zg"), "f");  // padding optional
  EXPECT_FALSE(base64_decode("Z"));
  EXPECT_FALSE(base64_decode("Zg=x"));
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Zg==="));
  const std::string bytes("\x00\xff\x10\x80", 4);
  EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
}

TEST(XpathDigest, ExtractSigned) {
  ASSERT_GE(sodium_init(), 0);
  unsigned char seed[crypto_sign_SEEDBYTES] = {1, 2, 3};
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, seed);
  const std::string message = "kode desa 3201012001";
  std::string signed_message(crypto_sign_BYTES + message.size(), '\0');
  crypto_sign(reinterpret_cast<unsigned char*>(signed_message.data()), nullptr,
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), sk);
  const std::string key = base64_encode(std::string(reinterpret_cast<const char*>(pk), sizeof pk));
  EXPECT_EQ(open_signed(signed_message, std::string(reinterpret_cast<const char*>(pk), sizeof pk)),
            message);
  EXPECT_EQ(testing::str("extract-signed('" + base64_encode(signed_message) + "', '" + key + "')"),
            message);
  std::string tampered = signed_message;
  tampered.back() ^= 1;
  EXPECT_EQ(testing::str("extract-signed('" + base64_encode(tampered) + "', '" + key + "')"), "");
  EXPECT_EQ(testing::str("extract-signed('" + base64_encode(signed_message) + "', 'c2hvcnQ=')"),
            "");
  EXPECT_EQ(testing::str("extract-signed('!!', '" + key + "')"), "");
}

}  // namespace
}  // namespace gotong::forms::xpath
