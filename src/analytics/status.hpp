// Where an indicator stands against its target: ahead, on track, behind, or no data. A value
// within the margin around the target (default ±10 % of the target) is on track; outside it,
// "ahead" and "behind" follow the desired direction. For indicators that should stay where they
// are (maintain), any value outside the margin is behind.
#pragma once

#include <optional>
#include <string_view>

namespace gotong::analytics {

enum class Direction { increase, decrease, maintain };
std::optional<Direction> parse_direction(std::string_view s);
std::string_view direction_name(Direction d);

enum class Status { on_track, behind, ahead, no_data };
std::string_view status_name(Status s);

inline constexpr double kDefaultMargin = 0.10;

// nullopt when there is no target to compare with; no_data when there is a target but no value.
// `margin` is a fraction of the target (0.10 = ±10 %); a target of 0 leaves no margin.
std::optional<Status> status_of(std::optional<double> value, std::optional<double> target, Direction d,
                                double margin = kDefaultMargin);

}  // namespace gotong::analytics
