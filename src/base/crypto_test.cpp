#include "base/crypto.hpp"

#include <gtest/gtest.h>

namespace gotong::crypto {

TEST(Crypto, PasswordHashVerifies) {
  init();
  std::string h = hash_password("gotong-demo");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password("gotong-demo", h));
  EXPECT_FALSE(verify_password("gotong-demO", h));
  EXPECT_FALSE(verify_password("gotong-demo", ""));
  EXPECT_NE(hash_password("gotong-demo"), h);  // salted
}

TEST(Crypto, TokensAreRandomAndDigestsStable) {
  init();
  auto a = random_token(32), b = random_token(32);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
  EXPECT_EQ(token_digest("x"), token_digest("x"));
  EXPECT_NE(token_digest("x"), token_digest("y"));
  EXPECT_EQ(token_digest("x").size(), 64u);
  EXPECT_NE(keyed_digest("3201010101010001", "k1"), keyed_digest("3201010101010001", "k2"));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

}  // namespace gotong::crypto
