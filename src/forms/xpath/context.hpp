// What an expression is evaluated against: the context node, current(), secondary instances, the
// clock and time zone, randomness and choice labels. Tests inject all of them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "forms/xpath/instance.hpp"

namespace gotong::forms::xpath {

// random(), uuid() and randomize() draw from this; seed it for reproducible tests.
class RandomSource {
 public:
  RandomSource();  // seeded from std::random_device
  explicit RandomSource(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  // Uniform in [0, 1).
  double next_double() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

struct EvalContext {
  // ".": relative paths start here. May be empty for expressions that use no relative path.
  NodeRef context;
  // current(): the node the expression belongs to; empty means `context`. It stays the same
  // inside predicates, which is what cascading selects rely on.
  NodeRef current;
  // Where absolute paths ("/data/age") start; null means the context node's instance.
  const Instance* main = nullptr;
  // ODK's rule for repeats: an absolute path that passes through a repeat the context node is
  // in means the context's own instance of that repeat ("/data/member/age" evaluated for
  // /data/member[3]/school means /data/member[3]/age), as ODK Collect resolves `${age}` inside
  // a repeat. Off for plain XPath.
  bool contextualize_repeats = false;
  // instance('id'); an unknown id is an evaluation error.
  const InstanceSet* instances = nullptr;
  // Milliseconds since 1970-01-01T00:00Z for now() and today(); empty means the system clock.
  std::function<std::int64_t()> clock;
  // Local time zone, minutes east of UTC (Indonesia: 420, 480 or 540). today(), format-date,
  // dateTimes without a zone and date/dateTime-to-number conversions use it.
  int timezone_offset_minutes = 0;
  // Null means a per-thread source seeded from std::random_device.
  RandomSource* random = nullptr;
  // jr:choice-name(value, '/data/question'): the label of `value` among the question's choices.
  std::function<std::optional<std::string>(std::string_view value, std::string_view question_path)>
      choice_label;
};

}  // namespace gotong::forms::xpath
