#include "analytics/status.hpp"

#include <gtest/gtest.h>

namespace gotong::analytics {
namespace {

TEST(Status, IncreaseWithTheDefaultMargin) {
  // Target 80: on track from 72 to 88.
  EXPECT_EQ(status_of(72, 80, Direction::increase), Status::on_track);
  EXPECT_EQ(status_of(88, 80, Direction::increase), Status::on_track);
  EXPECT_EQ(status_of(71.9, 80, Direction::increase), Status::behind);
  EXPECT_EQ(status_of(88.1, 80, Direction::increase), Status::ahead);
}

TEST(Status, DecreaseIsTheOtherWayRound) {
  // Target 20 % of children with diarrhoea: 17 is better than planned, 23 worse.
  EXPECT_EQ(status_of(17, 20, Direction::decrease), Status::ahead);
  EXPECT_EQ(status_of(23, 20, Direction::decrease), Status::behind);
  EXPECT_EQ(status_of(21, 20, Direction::decrease), Status::on_track);
}

TEST(Status, MaintainOutsideTheMarginIsBehind) {
  EXPECT_EQ(status_of(100, 100, Direction::maintain), Status::on_track);
  EXPECT_EQ(status_of(120, 100, Direction::maintain), Status::behind);
  EXPECT_EQ(status_of(80, 100, Direction::maintain), Status::behind);
}

TEST(Status, MarginIsConfigurable) {
  EXPECT_EQ(status_of(60, 50, Direction::increase, 0.20), Status::on_track);  // exactly on the edge
  EXPECT_EQ(status_of(60, 50, Direction::increase, 0.15), Status::ahead);
  EXPECT_EQ(status_of(45, 50, Direction::increase, 0.0), Status::behind);
  EXPECT_EQ(status_of(50, 50, Direction::increase, 0.0), Status::on_track);
}

TEST(Status, NoDataAndNoTarget) {
  EXPECT_EQ(status_of(std::nullopt, 10, Direction::increase), Status::no_data);
  EXPECT_FALSE(status_of(5, std::nullopt, Direction::increase));
  // A target of 0 leaves no margin.
  EXPECT_EQ(status_of(0, 0, Direction::decrease), Status::on_track);
  EXPECT_EQ(status_of(1, 0, Direction::decrease), Status::behind);
}

TEST(Status, Names) {
  EXPECT_EQ(status_name(Status::on_track), "on_track");
  EXPECT_EQ(status_name(Status::no_data), "no_data");
  EXPECT_EQ(parse_direction("decrease"), Direction::decrease);
  EXPECT_FALSE(parse_direction("ascending"));
  EXPECT_EQ(direction_name(Direction::maintain), "maintain");
}

}  // namespace
}  // namespace gotong::analytics
