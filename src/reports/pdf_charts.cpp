#include "reports/pdf_charts.hpp"

#include <algorithm>
#include <cmath>

#include "reports/format.hpp"

namespace gotong::reports::pdf {

double nice_step(double max) {
  if (!(max > 0) || !std::isfinite(max)) return 1;
  const double rough = max / 4;
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= rough) return m * magnitude;
  return 10 * magnitude;
}

namespace {

std::string axis_label(double v, const BarChart& chart, Lang l) {
  if (chart.percent) return format_number(v, l, 1) + "%";
  if (chart.money) {
    const double a = std::fabs(v);
    if (a >= 1e9) return format_number(v / 1e9, l, 1) + tr(l, "B", " M");
    if (a >= 1e6) return format_number(v / 1e6, l, 1) + tr(l, "M", " jt");
    if (a >= 1e3) return format_number(v / 1e3, l, 1) + tr(l, "k", " rb");
  }
  return format_number(v, l, 2);
}

}  // namespace

void draw_bar_chart(Canvas& c, const BarChart& chart, Lang lang) {
  const double title_h = chart.title.empty() ? 0 : 16;
  const double legend_h = 14;
  const double axis_h = 16;
  c.ensure(title_h + legend_h + chart.height + axis_h + 8);
  cairo_t* cr = c.cr();
  double y = c.y();
  if (!chart.title.empty()) {
    auto t = c.layout(chart.title, Font{8.5, true}, c.width());
    c.draw(t.get(), c.left(), y);
    y += title_h;
  }

  // Legend.
  double lx = c.left();
  auto legend_item = [&](const std::string& name, Rgb color, int kind) {  // 0 solid, 1 outline, 2 dashed
    cairo_save(cr);
    if (kind == 2) {
      const double dash[] = {3, 2};
      cairo_set_dash(cr, dash, 2, 0);
      Canvas::set_color(cr, color);
      cairo_set_line_width(cr, 1.2);
      cairo_move_to(cr, lx, y + 5);
      cairo_line_to(cr, lx + 14, y + 5);
      cairo_stroke(cr);
    } else {
      cairo_rectangle(cr, lx + 2, y + 1, 9, 8);
      if (kind == 1) {
        cairo_set_source_rgba(cr, color.r, color.g, color.b, 0.18);
        cairo_fill_preserve(cr);
        Canvas::set_color(cr, color);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
      } else {
        Canvas::set_color(cr, color);
        cairo_fill(cr);
      }
    }
    cairo_restore(cr);
    auto l = c.layout(name, Font{7}, 0);
    c.draw(l.get(), lx + 17, y, kMuted);
    lx += 17 + Canvas::width_of(l.get()) + 14;
  };
  for (const auto& s : chart.series) legend_item(s.name, s.color, s.outline ? 1 : 0);
  if (chart.reference) legend_item(chart.reference_name, Rgb{0.75, 0.35, 0.10}, 2);
  y += legend_h;

  // Scale.
  double max = 0, min = 0;
  for (const auto& s : chart.series)
    for (const auto& v : s.values)
      if (v) {
        max = std::max(max, *v);
        min = std::min(min, *v);
      }
  if (chart.reference) max = std::max(max, *chart.reference);
  if (chart.percent && max <= 100 && max > 50) max = 100;
  const double step = nice_step(max > 0 ? max : 1);
  double top = std::max(step, std::ceil(max / step - 1e-9) * step);
  if (top - max < step * 0.12 && !(chart.percent && top >= 100))
    top += step;  // room for the figures on the bars
  const double bottom_v = min < 0 ? -std::ceil(-min / step - 1e-9) * step : 0;

  // Plot area: room on the left for the widest tick label.
  double label_w = 0;
  for (double v = bottom_v; v <= top + step / 2; v += step) {
    auto l = c.layout(axis_label(v, chart, lang), Font{6.5}, 0);
    label_w = std::max(label_w, Canvas::width_of(l.get()));
  }
  const double px = c.left() + label_w + 6, pw = c.left() + c.width() - px;
  const double py = y + 2, ph = chart.height;
  auto y_of = [&](double v) { return py + ph - (v - bottom_v) / (top - bottom_v) * ph; };

  cairo_save(cr);
  cairo_set_line_width(cr, 0.4);
  for (double v = bottom_v; v <= top + step / 2; v += step) {
    const double gy = y_of(v);
    Canvas::set_color(cr, std::fabs(v) < step / 1000 ? kMuted : kRule);
    cairo_move_to(cr, px, gy);
    cairo_line_to(cr, px + pw, gy);
    cairo_stroke(cr);
    c.label(axis_label(v, chart, lang), Font{6.5}, px - 4, gy - 4.5, Align::right, kMuted);
  }
  cairo_restore(cr);

  // Bars.
  const std::size_t n = std::max<std::size_t>(1, chart.categories.size());
  const double slot = pw / static_cast<double>(n);
  const std::size_t k = std::max<std::size_t>(1, chart.series.size());
  const double group_w = std::min(slot * 0.72, 46.0 * static_cast<double>(k));
  const double bar_w = group_w / static_cast<double>(k);
  for (std::size_t i = 0; i < chart.categories.size(); ++i) {
    const double gx = px + slot * static_cast<double>(i) + (slot - group_w) / 2;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const auto& series = chart.series[s];
      if (i >= series.values.size() || !series.values[i]) continue;
      const double v = *series.values[i];
      const double x = gx + bar_w * static_cast<double>(s);
      const double y0 = y_of(0), y1 = y_of(v);
      cairo_save(cr);
      cairo_rectangle(cr, x + 0.5, std::min(y0, y1), bar_w - 1, std::fabs(y0 - y1));
      if (series.outline) {
        cairo_set_source_rgba(cr, series.color.r, series.color.g, series.color.b, 0.18);
        cairo_fill_preserve(cr);
        Canvas::set_color(cr, series.color);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
      } else {
        Canvas::set_color(cr, series.color);
        cairo_fill(cr);
      }
      cairo_restore(cr);
      // The figure above a solid bar, when bars are wide enough to carry it.
      if (!series.outline && bar_w >= 14 && v != 0) {
        const std::string text = axis_label(v, chart, lang);
        auto l = c.layout(text, Font{5.8}, 0);
        if (Canvas::width_of(l.get()) <= bar_w)
          c.draw(l.get(), x + bar_w / 2 - Canvas::width_of(l.get()) / 2, std::min(y0, y1) - 8, kMuted);
      }
    }
  }

  if (chart.reference) {
    cairo_save(cr);
    const double dash[] = {4, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, 0.75, 0.35, 0.10);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, px, y_of(*chart.reference));
    cairo_line_to(cr, px + pw, y_of(*chart.reference));
    cairo_stroke(cr);
    cairo_restore(cr);
  }

  // Category labels: every k-th when they would not fit side by side.
  double widest = 0;
  for (const auto& cat : chart.categories) {
    auto l = c.layout(cat, Font{6.5}, 0);
    widest = std::max(widest, Canvas::width_of(l.get()));
  }
  const std::size_t every =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 4) / slot)));
  for (std::size_t i = 0; i < chart.categories.size(); i += every)
    c.label(chart.categories[i], Font{6.5}, px + slot * (static_cast<double>(i) + 0.5), py + ph + 3,
            Align::center, kMuted);
  c.set_y(py + ph + axis_h + 6);
}

}  // namespace gotong::reports::pdf
