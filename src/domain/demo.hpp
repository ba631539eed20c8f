// The demo workspace: an organisation working in a real village (Desa Bosen, Mollo Utara,
// Timor Tengah Selatan, NTT) with a user of each role. Loading it twice changes nothing.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace gotong::domain::demo {

inline constexpr const char* kPassword = "gotong-demo";
inline constexpr const char* kOrgSlug = "demo";

struct Login {
  std::string email, role;
};
const std::vector<Login>& logins();

// Returns false when the demo was loaded already.
bool load(db::Database& db);

}  // namespace gotong::domain::demo
