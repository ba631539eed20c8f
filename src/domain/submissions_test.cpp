#include "domain/submissions.hpp"

#include <gtest/gtest.h>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "domain/attachment_store.hpp"
#include "domain/forms.hpp"
#include "domain/test_support.hpp"

namespace gotong::domain {

using testing::TestDatabase;

namespace {

const char* const kForm = R"XF(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Kunjungan</h:title>
  <model>
   <instance><kj id="kunjungan" version="1"><village/><people/><meta><instanceID/><deprecatedID/></meta></kj></instance>
   <bind nodeset="/kj/people" type="int" constraint=". &gt;= 0"/>
   <bind nodeset="/kj/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
  </model>
 </h:head>
 <h:body><input ref="/kj/village"/><input ref="/kj/people"/></h:body>
</h:html>)XF";

std::string visit(const std::string& id, int people, const std::string& deprecated = "") {
  return "<kj id=\"kunjungan\" version=\"1\"><village>Fatumnasi</village><people>" + std::to_string(people) +
         "</people><meta><instanceID>" + id + "</instanceID>" +
         (deprecated.empty() ? "" : "<deprecatedID>" + deprecated + "</deprecatedID>") + "</meta></kj>";
}

struct Fixture {
  TestDatabase t;
  OrgScope s = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  AttachmentStore store{t.path().parent_path() / "attachments"};

  Fixture() {
    auto upload = forms::make_upload("kunjungan.xml", kForm);
    t.db().write([&](db::Connection& c) { forms::publish(c, s, forms::save_draft(c, s, upload).id); });
  }

  submissions::Received receive(const std::string& xml) {
    submissions::Incoming in;
    in.xml = xml;
    return submissions::receive(t.db(), s, store, std::move(in));
  }

  std::string digest_of(std::int64_t id) {
    return t.db().read_value([&](db::Connection& c) {
      return c.query_one("SELECT content_digest FROM submissions WHERE id = $1", {id})->text_at(0);
    });
  }
};

}  // namespace

TEST(SubmissionsReceive, SameContentAgainIsADuplicateOtherContentAConflict) {
  Fixture f;
  auto first = f.receive(visit("uuid:a1", 4));
  EXPECT_EQ(first.outcome, submissions::Outcome::created);
  EXPECT_EQ(f.digest_of(first.id), crypto::content_digest(visit("uuid:a1", 4)));
  auto again = f.receive(visit("uuid:a1", 4));
  EXPECT_EQ(again.outcome, submissions::Outcome::duplicate);
  EXPECT_EQ(again.id, first.id);
  try {
    f.receive(visit("uuid:a1", 5));
    ADD_FAILURE() << "other content under a used instanceID was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
  }
  // A rule broken: stored all the same, with its issue.
  auto negative = f.receive(visit("uuid:a2", -1));
  EXPECT_EQ(negative.outcome, submissions::Outcome::created);
  EXPECT_EQ(negative.state, "has_issues");
  EXPECT_EQ(negative.issue_count, 1u);
}

// Submissions stored before content digests were BLAKE2b keep their SHA-256 digest: a device
// retrying such a submission after it was edited is still told it arrived, not that it conflicts.
TEST(SubmissionsReceive, OlderSha256DigestsStillRecogniseARetry) {
  Fixture f;
  const std::string original = visit("uuid:b1", 3);
  auto first = f.receive(original);
  f.t.db().write([&](db::Connection& c) {
    c.exec("UPDATE submissions SET content_digest = $1 WHERE id = $2",
           {crypto::sha256_hex(original), first.id});
  });
  auto edited = f.receive(visit("uuid:b2", 6, "uuid:b1"));
  EXPECT_EQ(edited.outcome, submissions::Outcome::edited);
  EXPECT_EQ(edited.id, first.id);
  // The stored XML is now the edit's: only the old digest knows the original content.
  auto retry = f.receive(original);
  EXPECT_EQ(retry.outcome, submissions::Outcome::duplicate);
  EXPECT_EQ(retry.id, first.id);
  EXPECT_THROW(f.receive(visit("uuid:b1", 9)), Error);
}

}  // namespace gotong::domain
