#include "forms/xpath/geo.hpp"

#include <cmath>
#include <numbers>

#include "forms/xpath/value.hpp"

namespace gotong::forms::xpath {

namespace {

double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

bool parse_geo_points(std::string_view text, std::vector<GeoPoint>& out) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view point = text.substr(start, end - start);
    double parts[4] = {0, 0, 0, 0};
    int count = 0;
    std::size_t i = 0;
    while (i < point.size()) {
      while (i < point.size() && is_space(point[i])) ++i;
      if (i == point.size()) break;
      std::size_t j = i;
      while (j < point.size() && !is_space(point[j])) ++j;
      if (count == 4) return false;
      const auto n = parse_number(point.substr(i, j - i));
      if (!n || !std::isfinite(*n)) return false;
      parts[count++] = *n;
      i = j;
    }
    if (count == 1) return false;
    if (count >= 2) {
      if (std::fabs(parts[0]) > 90 || std::fabs(parts[1]) > 180) return false;
      out.push_back(GeoPoint{parts[0], parts[1]});
    }
    start = end + 1;
  }
  return true;
}

double path_length_meters(const std::vector<GeoPoint>& points) {
  double total = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    // Haversine: stable for the short distances between neighbouring points.
    const double lat1 = radians(points[i - 1].latitude);
    const double lat2 = radians(points[i].latitude);
    const double dlat = lat2 - lat1;
    const double dlon = radians(points[i].longitude - points[i - 1].longitude);
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
    total += 2 * kEarthRadiusMeters * std::asin(std::sqrt(std::fmin(1.0, h)));
  }
  return total;
}

double polygon_area_square_meters(const std::vector<GeoPoint>& input) {
  std::vector<GeoPoint> points = input;
  if (points.size() > 1 && points.front().latitude == points.back().latitude &&
      points.front().longitude == points.back().longitude) {
    points.pop_back();  // geoshapes repeat the first point at the end
  }
  const std::size_t n = points.size();
  if (n < 3) return 0;
  // Each edge adds the area between it and the equator, R^2 * dlon * (sin lat1 + sin lat2) / 2,
  // with the longitude step taken the short way so shapes across 180 degrees work; the parts
  // outside the polygon cancel around the loop.
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const GeoPoint& a = points[i];
    const GeoPoint& b = points[(i + 1) % n];
    double dlon = b.longitude - a.longitude;
    if (dlon > 180) dlon -= 360;
    if (dlon < -180) dlon += 360;
    sum += radians(dlon) * (std::sin(radians(a.latitude)) + std::sin(radians(b.latitude)));
  }
  return std::fabs(sum) * kEarthRadiusMeters * kEarthRadiusMeters / 2;
}

}  // namespace gotong::forms::xpath
