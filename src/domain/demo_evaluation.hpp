// The demo's evaluation and village index: for the demo program "Air Bersih untuk Desa Bosen", a
// baseline/endline evaluation of the household survey (2025 baseline, 2026 endline) with Dusun IV
// Nenas as the comparison dusun, its OECD-DAC ratings and lessons; and Desa Bosen's IDM for
// 2023–2025 with its weakest indicators linked to the clean-water problem and the program.
#pragma once

#include <cstddef>

#include "db/database.hpp"

namespace gotong::domain::demo_evaluation {

inline constexpr const char* kEvaluationTitle = "Evaluasi baseline–endline Air Bersih Bosen 2025–2026";

struct Result {
  bool evaluation_created = false;
  std::size_t idm_years_created = 0;
  std::size_t idm_links_created = 0;
};

// Needs the demo organisation, its household survey and the program (demo::load,
// demo_survey::load, demo_workspace::load). Acts as the demo coordinator, through the domain
// functions (audit log included), in one write job. Idempotent: what exists is left alone.
// Error(not_found) when the program or the survey is missing.
Result seed_demo_evaluation(db::Database& db);

}  // namespace gotong::domain::demo_evaluation
