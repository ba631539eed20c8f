// Logging setup: spdlog to stderr with a compact pattern; level from GOTONG_LOG (info default).
#pragma once

namespace gotong::log {
void init();
}
