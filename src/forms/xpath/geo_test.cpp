#include "forms/xpath/geo.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "forms/xpath/test_support.hpp"

namespace gotong::forms::xpath {
namespace {

std::vector<GeoPoint> points(std::string_view s) {
  std::vector<GeoPoint> out;
  EXPECT_TRUE(parse_geo_points(s, out)) << s;
  return out;
}

constexpr double kOneDegree = kEarthRadiusMeters * std::numbers::pi / 180;

TEST(XpathGeo, ParsesOdkGeoText) {
  const auto p = points("-6.2088 106.8456 12.5 4.0; -6.21 106.85 0 0;");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].latitude, -6.2088);
  EXPECT_EQ(p[0].longitude, 106.8456);
  EXPECT_EQ(points("").size(), 0u);
  EXPECT_EQ(points("1 2").size(), 1u);
  std::vector<GeoPoint> bad;
  EXPECT_FALSE(parse_geo_points("1", bad));
  EXPECT_FALSE(parse_geo_points("91 0", bad));
  EXPECT_FALSE(parse_geo_points("0 181", bad));
  EXPECT_FALSE(parse_geo_points("0 0 0 0 0", bad));
  EXPECT_FALSE(parse_geo_points("a b", bad));
}

TEST(XpathGeo, Distance) {
  EXPECT_NEAR(path_length_meters(points("0 0;0 1")), kOneDegree, 1e-6);
  EXPECT_NEAR(path_length_meters(points("0 0;1 0")), kOneDegree, 1e-6);
  // Along the 60th parallel a degree of longitude is about half as long (great circle: a bit less).
  EXPECT_NEAR(path_length_meters(points("60 0;60 1")), kOneDegree / 2, 1);
  EXPECT_NEAR(path_length_meters(points("0 179.5;0 -179.5")), kOneDegree, 1e-6);  // across 180
  EXPECT_EQ(path_length_meters(points("5 5")), 0);
  // Jakarta (Monas) to Bogor (Kebun Raya): about 47 km as the crow flies.
  EXPECT_NEAR(path_length_meters(points("-6.1754 106.8272;-6.5976 106.7997")) / 1000, 47, 1.5);
}

TEST(XpathGeo, Area) {
  const double square = kEarthRadiusMeters * kEarthRadiusMeters * std::numbers::pi / 180 *
                        std::sin(std::numbers::pi / 180);
  EXPECT_NEAR(polygon_area_square_meters(points("0 0;0 1;1 1;1 0;0 0")), square, 1e-3);
  EXPECT_NEAR(polygon_area_square_meters(points("0 0;0 1;1 1;1 0")), square, 1e-3);  // not closed
  EXPECT_NEAR(polygon_area_square_meters(points("0 0;1 0;1 1;0 1")), square,
              1e-3);  // other direction
  EXPECT_NEAR(polygon_area_square_meters(points("0 179.5;0 -179.5;1 -179.5;1 179.5")), square,
              1e-3);
  EXPECT_EQ(polygon_area_square_meters(points("0 0;0 1")), 0);
  // A 100 m x 100 m field near Bogor: one hectare within half a percent.
  const double dlat = 100 / kOneDegree;
  const double dlon = 100 / (kOneDegree * std::cos(-6.6 * std::numbers::pi / 180));
  const std::string field = "-6.6 106.8;-6.6 " + std::to_string(106.8 + dlon) + ";" +
                            std::to_string(-6.6 + dlat) + " " + std::to_string(106.8 + dlon) + ";" +
                            std::to_string(-6.6 + dlat) + " 106.8";
  EXPECT_NEAR(polygon_area_square_meters(points(field)), 10000, 50);
}

TEST(XpathGeo, FunctionsOverNodeSets) {
  Instance in("data");
  const NodeId trace = in.add_element(in.root(), "trace");
  in.add_element(trace, "p", "0 0 0 0");
  in.add_element(trace, "p", "0 1 0 0");
  in.add_element(trace, "p", "1 1 0 0");
  in.add_element(trace, "p", "1 0 0 0");
  in.add_element(in.root(), "shape", "0 0 0 0;0 1 0 0;1 1 0 0;1 0 0 0;0 0 0 0");
  EvalContext ctx;
  ctx.main = &in;
  // Two edges along a meridian or the equator, one along the 1st parallel (slightly shorter).
  const double along_parallel = path_length_meters(points("1 1;1 0"));
  EXPECT_LT(along_parallel, kOneDegree);
  EXPECT_NEAR(compile("distance(/data/trace/p)").evaluate_number(ctx),
              2 * kOneDegree + along_parallel, 1e-6);
  EXPECT_NEAR(compile("area(/data/trace/p)").evaluate_number(ctx),
              compile("area(/data/shape)").evaluate_number(ctx), 1e-6);
  EXPECT_NEAR(compile("distance(/data/shape)").evaluate_number(ctx),
              3 * kOneDegree + along_parallel, 1e-6);
}

}  // namespace
}  // namespace gotong::forms::xpath
