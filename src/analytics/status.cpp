#include "analytics/status.hpp"

#include <algorithm>
#include <cmath>

namespace gotong::analytics {

std::optional<Direction> parse_direction(std::string_view s) {
  if (s == "increase") return Direction::increase;
  if (s == "decrease") return Direction::decrease;
  if (s == "maintain") return Direction::maintain;
  return std::nullopt;
}

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::increase:
      return "increase";
    case Direction::decrease:
      return "decrease";
    case Direction::maintain:
      return "maintain";
  }
  return "increase";
}

std::string_view status_name(Status s) {
  switch (s) {
    case Status::on_track:
      return "on_track";
    case Status::behind:
      return "behind";
    case Status::ahead:
      return "ahead";
    case Status::no_data:
      return "no_data";
  }
  return "no_data";
}

std::optional<Status> status_of(std::optional<double> value, std::optional<double> target, Direction d,
                                double margin) {
  if (!target) return std::nullopt;
  if (!value) return Status::no_data;
  const double band = std::fabs(*target) * margin;
  // Compared with a little slack so that a value shown as exactly on the edge (20 % of 50 is
  // 10.000000000000002 in binary) counts as inside.
  const double eps = 1e-9 * std::max(1.0, std::fabs(*target));
  const double diff = *value - *target;
  if (std::fabs(diff) <= band + eps) return Status::on_track;
  const bool above = diff > 0;
  switch (d) {
    case Direction::increase:
      return above ? Status::ahead : Status::behind;
    case Direction::decrease:
      return above ? Status::behind : Status::ahead;
    case Direction::maintain:
      return Status::behind;
  }
  return Status::behind;
}

}  // namespace gotong::analytics
