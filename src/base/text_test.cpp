#include "base/text.hpp"

#include <gtest/gtest.h>

namespace gotong::text {

TEST(Fold, LowersAndStripsAccentsAndPunctuation) {
  EXPECT_EQ(fold("Ma'rang  Utara"), "ma rang utara");
  EXPECT_EQ(fold("DÉSA Sukamaju"), "desa sukamaju");
  EXPECT_EQ(fold("  O'besi  "), "o besi");
  EXPECT_EQ(fold("Fatuba'a"), "fatuba a");
  EXPECT_EQ(fold("Łódź"), "lodz");
  EXPECT_EQ(fold("Be\xCC\x81sen"), "besen");  // combining acute accent is dropped
}

TEST(Fold, InvalidUtf8DoesNotThrowAndSplitsWords) {
  EXPECT_EQ(fold("ab\xFF" "cd"), "ab cd");
  EXPECT_EQ(fold(""), "");
}

TEST(Words, SplitsOnSpaces) {
  auto w = words("kota baru timur");
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0], "kota");
  EXPECT_EQ(w[2], "timur");
}

TEST(CleanUtf8, RejectsControlCharactersAndBadBytes) {
  EXPECT_TRUE(is_clean_utf8("Desa Bosen\tRT 01"));
  EXPECT_TRUE(is_clean_utf8("Dusun Ñandú"));
  EXPECT_FALSE(is_clean_utf8(std::string("a\0b", 3)));
  EXPECT_FALSE(is_clean_utf8("bad \xC3"));
  EXPECT_FALSE(is_clean_utf8("bell \x07"));
}

TEST(PercentEncode, KeepsUnreservedAndEncodesEveryOtherByte) {
  EXPECT_EQ(percent_encode("foto-rumah_01.jpg~"), "foto-rumah_01.jpg~");
  EXPECT_EQ(percent_encode("survei air/2026 v2"), "survei%20air%2F2026%20v2");
  EXPECT_EQ(percent_encode("Ñ"), "%C3%91");
  EXPECT_EQ(percent_encode(""), "");
}

}  // namespace gotong::text
