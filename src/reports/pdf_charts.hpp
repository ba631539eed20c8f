// Charts drawn as vectors on a report page: grouped bars per category (periods, months) with an
// optional dashed reference line (a baseline), a value axis with round ticks and a legend.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/model.hpp"
#include "reports/pdf_canvas.hpp"

namespace gotong::reports::pdf {

struct Series {
  std::string name;
  Rgb color;
  bool outline = false;                       // drawn as a framed light bar (targets) instead of a solid one
  std::vector<std::optional<double>> values;  // one per category
};

struct BarChart {
  std::string title;
  std::vector<std::string> categories;
  std::vector<Series> series;
  std::optional<double> reference;  // dashed line across the chart
  std::string reference_name;
  bool money = false;    // axis labels in millions/thousands ("jt", "rb" / "M", "k")
  bool percent = false;  // axis labels with "%"
  double height = 150;
};

// Round axis ticks for values up to `max`: a step of 1, 2, 2.5 or 5 × 10^k giving 3 to 6 ticks.
double nice_step(double max);

// Draws the chart at the cursor over the content width and moves the cursor below it.
void draw_bar_chart(Canvas& c, const BarChart& chart, Lang lang);

}  // namespace gotong::reports::pdf
