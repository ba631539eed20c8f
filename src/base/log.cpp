#include "base/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace gotong::log {

void init() {
  auto logger = spdlog::stderr_color_mt("gotong");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  const char* level = std::getenv("GOTONG_LOG");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace gotong::log
