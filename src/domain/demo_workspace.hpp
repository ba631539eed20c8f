// The demo's living program: Desa Bosen's prioritised problem list (a scoring matrix and a
// pairwise session that both put clean water first), the problem tree of clean water and its
// objective tree, the program "Air Bersih untuk Desa Bosen" (2025–2027) with its results
// framework, stakeholders and engagement log, activities with events, participants and
// attendance, budget with expenditures, feedback and complaints, and indicators computed from
// the demo household survey (by sex of the head of household and dusun), from attendance and
// entered by hand with approval. Everything goes through the domain functions, so every rule,
// the audit log and the incremental indicator values apply.
#pragma once

#include <cstddef>

#include "db/database.hpp"

namespace gotong::domain::demo_workspace {

inline constexpr const char* kProgramName = "Air Bersih untuk Desa Bosen";

struct Result {
  bool program_created = false;        // the design and field part, written in one job
  std::size_t indicators_created = 0;  // each in its own job (a full computation comes first)
};

// Needs the demo organisation and its household survey (demo::load, demo_survey::load).
// Idempotent: a complete workspace is left alone; an interrupted load is completed.
Result load(db::Database& db);

}  // namespace gotong::domain::demo_workspace
