// area() and distance() over ODK geo answers: a geopoint is "lat lon [altitude [accuracy]]",
// geotraces and geoshapes are geopoints separated by ';'. Results are in metres on a sphere
// with the Earth's equatorial radius; altitude is ignored.
#pragma once

#include <string_view>
#include <vector>

namespace gotong::forms::xpath {

inline constexpr double kEarthRadiusMeters = 6378137.0;

struct GeoPoint {
  double latitude = 0;   // degrees
  double longitude = 0;  // degrees
};

// Appends the points of `text`; false when a point is malformed or out of range. Empty text and
// empty segments (a trailing ';') add nothing.
bool parse_geo_points(std::string_view text, std::vector<GeoPoint>& out);
// Length in metres of the path through the points (great circles between neighbours).
double path_length_meters(const std::vector<GeoPoint>& points);
// Area in square metres of the polygon through the points; the last point joins the first.
double polygon_area_square_meters(const std::vector<GeoPoint>& points);

}  // namespace gotong::forms::xpath
