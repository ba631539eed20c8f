#include "domain/migration_steps.hpp"

#include "domain/areas.hpp"

namespace gotong::domain {

std::vector<db::Migration> migration_steps() {
  auto steps = db::embedded_migrations();
  steps.push_back(areas::regions_migration());
  steps.push_back(areas::sub_area_codes_migration());
  return steps;
}

}  // namespace gotong::domain
