// Every schema step of this binary in one list: the SQL files embedded in it and the steps
// written in code by the domain (loading the regions, numbering sub-areas). The command line,
// the server and the tests all migrate with this list.
#pragma once

#include <vector>

#include "db/migrations.hpp"

namespace gotong::domain {

std::vector<db::Migration> migration_steps();

}  // namespace gotong::domain
