#include "domain/demo.hpp"

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "domain/accounts.hpp"
#include "domain/areas.hpp"

namespace gotong::domain::demo {

namespace {
struct DemoUser {
  const char* email;
  const char* name;
  Role role;
};
const DemoUser kUsers[] = {
    {"admin@demo.gotong.id", "Admin Demo", Role::admin},
    {"koordinator@demo.gotong.id", "Maria Tefa (Koordinator)", Role::coordinator},
    {"petugas@demo.gotong.id", "Yohanes Nenobais (Petugas Lapangan)", Role::field_officer},
    {"mitra@demo.gotong.id", "Yustina Benu (Mitra)", Role::partner},
    {"pemantau@demo.gotong.id", "Daniel Sanam (Pemantau)", Role::viewer},
};
constexpr const char* kVillageCode = "53.02.03.2003";  // Desa Bosen, Kec. Mollo Utara
const char* const kDusun[] = {"Dusun I Bosen", "Dusun II Oelbubuk", "Dusun III Fatumnasi", "Dusun IV Nenas"};
}  // namespace

const std::vector<Login>& logins() {
  static const std::vector<Login> all = [] {
    std::vector<Login> v;
    for (const auto& u : kUsers) v.push_back({u.email, std::string(role_name(u.role))});
    return v;
  }();
  return all;
}

bool load(db::Database& db) {
  bool exists = db.read_value([](db::Connection& c) { return accounts::find_organisation(c, kOrgSlug).has_value(); });
  if (exists) return false;
  // Hash outside the write job: argon2id is slow on purpose.
  std::vector<std::string> hashes;
  for (std::size_t i = 0; i < std::size(kUsers); ++i) hashes.push_back(crypto::hash_password(kPassword));

  db.write([&](db::Connection& c) {
    const Actor cli = Actor::cli();
    auto org = accounts::create_organisation(c, cli, kOrgSlug, "Yayasan Air Sehat Timor (Demo)");
    OrgScope scope = OrgScope::for_cli(org.id, org.slug);
    for (std::size_t i = 0; i < std::size(kUsers); ++i) {
      auto user = accounts::find_user(c, kUsers[i].email);
      if (!user) user = accounts::create_user(c, cli, kUsers[i].email, kUsers[i].name, hashes[i]);
      accounts::add_member(c, scope, user->id, kUsers[i].role);
    }
    auto village = areas::find_by_code(c, kVillageCode);
    if (!village) throw Error(ErrorCode::internal, "the demo village is missing from the regions list");
    for (const char* dusun : kDusun) areas::create(c, scope, village->id, dusun, "dusun");
  });
  return true;
}

}  // namespace gotong::domain::demo
