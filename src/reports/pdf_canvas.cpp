#include "reports/pdf_canvas.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <stdexcept>

namespace gotong::reports::pdf {

namespace {

constexpr const char* kFamily = "DejaVu Sans";
constexpr double kCellPad = 3.5;

PangoFontDescription* describe(Font f) {
  PangoFontDescription* d = pango_font_description_new();
  pango_font_description_set_family(d, kFamily);
  pango_font_description_set_absolute_size(d, f.size * PANGO_SCALE);
  pango_font_description_set_weight(d, f.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(d, f.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  return d;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t discard_bytes(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

}  // namespace

Canvas::Canvas(cairo_t* cr, Decor decor, int total_pages)
    : cr_(cr), decor_(std::move(decor)), total_pages_(total_pages) {
  // A font map of our own: the default one is per thread and would live as long as the worker.
  fonts_ = pango_cairo_font_map_new();
  context_ = pango_font_map_create_context(fonts_);
  // Sizes are in points, as the PDF surface's units.
  pango_cairo_context_set_resolution(context_, 72);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context_, options);
  cairo_font_options_destroy(options);
  pango_cairo_update_context(cr_, context_);
}

Canvas::~Canvas() {
  g_object_unref(context_);
  g_object_unref(fonts_);
}

Canvas::LayoutPtr Canvas::layout(const std::string& text, Font font, double width, Align align) const {
  PangoLayout* l = pango_layout_new(context_);
  PangoFontDescription* d = describe(font);
  pango_layout_set_font_description(l, d);
  pango_font_description_free(d);
  if (width > 0) {
    pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(l, align == Align::right    ? PANGO_ALIGN_RIGHT
                                : align == Align::center ? PANGO_ALIGN_CENTER
                                                         : PANGO_ALIGN_LEFT);
  // Plain text, never markup: names and narratives come from users.
  pango_layout_set_text(l, text.c_str(), static_cast<int>(text.size()));
  return LayoutPtr(l, g_object_unref);
}

double Canvas::height_of(PangoLayout* l) {
  int w = 0, h = 0;
  pango_layout_get_size(l, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

double Canvas::width_of(PangoLayout* l) {
  int w = 0, h = 0;
  pango_layout_get_size(l, &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}

void Canvas::draw(PangoLayout* l, double x, double y, Rgb color) const {
  cairo_save(cr_);
  set_color(cr_, color);
  cairo_move_to(cr_, x, y);
  pango_cairo_show_layout(cr_, l);
  cairo_restore(cr_);
}

void Canvas::label(const std::string& text, Font font, double x, double y, Align align, Rgb color) const {
  auto l = layout(text, font, 0);
  const double w = width_of(l.get());
  const double at = align == Align::right ? x - w : align == Align::center ? x - w / 2 : x;
  draw(l.get(), at, y, color);
}

void Canvas::new_page() {
  if (page_ > 0) {
    footer();
    cairo_show_page(cr_);
  }
  ++page_;
  y_ = kTop;
  header();
}

void Canvas::finish() {
  if (page_ == 0) new_page();
  footer();
  cairo_show_page(cr_);
}

void Canvas::ensure(double height) {
  if (page_ == 0 || height > room()) new_page();
}

void Canvas::header() {
  const double base = 30;
  auto right = layout(decor_.header_right, Font{7.5}, 0);
  const double rw = width_of(right.get());
  auto left_l = layout(decor_.header_left, Font{7.5, true}, std::max(50.0, width() - rw - 16));
  pango_layout_set_ellipsize(left_l.get(), PANGO_ELLIPSIZE_END);
  draw(left_l.get(), kLeft, base, kAccent);
  draw(right.get(), kLeft + width() - rw, base, kMuted);
  cairo_save(cr_);
  set_color(cr_, kAccent);
  cairo_set_line_width(cr_, 0.8);
  cairo_move_to(cr_, kLeft, base + 13);
  cairo_line_to(cr_, kLeft + width(), base + 13);
  cairo_stroke(cr_);
  cairo_restore(cr_);
}

void Canvas::footer() {
  const double base = kPageHeight - 40;
  cairo_save(cr_);
  set_color(cr_, kRule);
  cairo_set_line_width(cr_, 0.5);
  cairo_move_to(cr_, kLeft, base - 5);
  cairo_line_to(cr_, kLeft + width(), base - 5);
  cairo_stroke(cr_);
  cairo_restore(cr_);
  label(decor_.footer_left, Font{7}, kLeft, base, Align::left, kMuted);
  std::string number = decor_.page_word + " " + std::to_string(page_);
  if (total_pages_ > 0) number += " " + decor_.of_word + " " + std::to_string(total_pages_);
  label(number, Font{7}, kLeft + width(), base, Align::right, kMuted);
}

void Canvas::heading(const std::string& text, int level, double keep) {
  const Font f = level == 1 ? Font{13.5, true} : Font{10.5, true};
  auto l = layout(text, f, width());
  const double h = height_of(l.get());
  const double before = level == 1 ? 14 : 9;
  if (keep < 0) keep = level == 1 ? 110 : 80;
  if (page_ == 0 || y_ > kTop) {
    if (h + before + keep > room()) {
      new_page();
    } else {
      y_ += before;
    }
  }
  draw(l.get(), kLeft, y_, level == 1 ? kAccent : kInk);
  y_ += h;
  if (level == 1) {
    cairo_save(cr_);
    set_color(cr_, kAccent);
    cairo_set_line_width(cr_, 1.2);
    cairo_move_to(cr_, kLeft, y_ + 2);
    cairo_line_to(cr_, kLeft + 40, y_ + 2);
    cairo_stroke(cr_);
    cairo_restore(cr_);
    y_ += 8;
  } else {
    y_ += 4;
  }
}

void Canvas::paragraph(const std::string& text, Font font, Rgb color, double indent) {
  if (page_ == 0) new_page();
  auto l = layout(text, font, width() - indent);
  PangoLayoutIter* it = pango_layout_get_iter(l.get());
  double offset = 0;  // layout y that sits at y_ on the current page
  double last_bottom = 0;
  cairo_save(cr_);
  set_color(cr_, color);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    const double top = static_cast<double>(logical.y) / PANGO_SCALE;
    const double bottom = static_cast<double>(logical.y + logical.height) / PANGO_SCALE;
    if (bottom - offset > room()) {
      y_ += last_bottom - offset;
      cairo_restore(cr_);
      new_page();
      cairo_save(cr_);
      set_color(cr_, color);
      offset = top;
    }
    const double baseline = static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
    cairo_move_to(cr_, kLeft + indent, y_ + baseline - offset);
    pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
    last_bottom = bottom;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  cairo_restore(cr_);
  y_ += last_bottom - offset;
}

Canvas::LayoutPtr Canvas::cell_layout(const std::string& text, Font font, double width, Align align) const {
  auto l = layout(text, font, width, align);
  // A row never grows past what a page holds below a table head: longer text ends in "…".
  pango_layout_set_height(l.get(), static_cast<int>((kPageHeight - kTop - kBottom - 60) * PANGO_SCALE));
  pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
  return l;
}

double Canvas::row_height(const Table& t, const std::vector<Cell>& row,
                          const std::vector<double>& widths) const {
  double h = 0;
  if (row.size() == 1 && t.columns.size() > 1) {
    auto l = cell_layout(row[0].text, Font{t.font_size, true}, width() - 2 * kCellPad, Align::left);
    return height_of(l.get()) + 2 * kCellPad + 1;
  }
  for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
    auto l = cell_layout(row[i].text, Font{t.font_size, row[i].bold}, widths[i] - 2 * kCellPad, Align::left);
    h = std::max(h, height_of(l.get()));
  }
  return h + 2 * kCellPad;
}

void Canvas::draw_row(const Table& t, const std::vector<Cell>& row, const std::vector<double>& widths,
                      double h, bool head, bool stripe) {
  const bool group = row.size() == 1 && t.columns.size() > 1;
  cairo_save(cr_);
  if (head || group || stripe) {
    set_color(cr_, head ? kAccent : group ? Rgb{0.87, 0.92, 0.94} : kStripe);
    cairo_rectangle(cr_, kLeft, y_, width(), h);
    cairo_fill(cr_);
  }
  double x = kLeft;
  for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
    const double w = group ? width() : widths[i];
    if (row[i].fill && !head) {
      set_color(cr_, *row[i].fill);
      cairo_rectangle(cr_, x + 1, y_ + 1, w - 2, h - 2);
      cairo_fill(cr_);
    }
    const Align a = group ? Align::left : t.columns[i].align;
    auto l = cell_layout(row[i].text, Font{t.font_size, head || group || row[i].bold}, w - 2 * kCellPad, a);
    draw(l.get(), x + kCellPad, y_ + kCellPad, head ? Rgb{1, 1, 1} : kInk);
    x += w;
    if (group) break;
  }
  set_color(cr_, kRule);
  cairo_set_line_width(cr_, 0.4);
  cairo_move_to(cr_, kLeft, y_ + h);
  cairo_line_to(cr_, kLeft + width(), y_ + h);
  cairo_stroke(cr_);
  cairo_restore(cr_);
  y_ += h;
}

std::vector<double> Canvas::column_widths(const Table& t) const {
  double total = 0;
  for (const auto& c : t.columns) total += c.width;
  std::vector<double> widths;
  for (const auto& c : t.columns) widths.push_back(width() * c.width / total);
  return widths;
}

double Canvas::start_height(const Table& t) const {
  if (t.columns.empty()) return 0;
  const auto widths = column_widths(t);
  std::vector<Cell> head_row;
  for (const auto& c : t.columns) head_row.push_back(Cell{c.title, std::nullopt, true});
  const double head_h = row_height(t, head_row, widths);
  // The head stays with the first rows (up to three), so a table does not start with a lone row;
  // a short table that fits on a page is not split at all.
  double first_h = 0, all_h = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const double h = row_height(t, t.rows[r], widths);
    if (r < 3) first_h += h;
    all_h += h;
  }
  const bool short_table = t.rows.size() <= 12 && head_h + all_h <= kPageHeight - kTop - kBottom;
  return head_h + (short_table ? all_h : first_h);
}

void Canvas::table(const Table& t) {
  if (t.columns.empty()) return;
  const auto widths = column_widths(t);
  std::vector<Cell> head_row;
  for (const auto& c : t.columns) head_row.push_back(Cell{c.title, std::nullopt, true});
  const double head_h = row_height(t, head_row, widths);
  ensure(start_height(t));
  draw_row(t, head_row, widths, head_h, true, false);
  bool stripe = false;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const double h = row_height(t, row, widths);
    // A group heading is kept with the row after it.
    const bool group = row.size() == 1 && t.columns.size() > 1;
    const double need = group && r + 1 < t.rows.size() ? h + row_height(t, t.rows[r + 1], widths) : h;
    if (need > room()) {
      new_page();
      draw_row(t, head_row, widths, head_h, true, false);
      stripe = false;
    }
    draw_row(t, row, widths, h, false, stripe && !group);
    stripe = group ? false : !stripe;
  }
  y_ += 6;
}

std::string render(const Decor& decor, const std::string& title, const std::string& author,
                   void (*draw)(Canvas&, const void*), const void* data) {
  int pages = 0;
  {
    cairo_surface_t* s =
        cairo_pdf_surface_create_for_stream(discard_bytes, nullptr, Canvas::kPageWidth, Canvas::kPageHeight);
    cairo_t* cr = cairo_create(s);
    {
      Canvas c(cr, decor, 0);
      draw(c, data);
      c.finish();
      pages = c.page();
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
  }
  std::string out;
  cairo_surface_t* s =
      cairo_pdf_surface_create_for_stream(append_bytes, &out, Canvas::kPageWidth, Canvas::kPageHeight);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Gotong");
  cairo_t* cr = cairo_create(s);
  {
    Canvas c(cr, decor, pages);
    draw(c, data);
    c.finish();
  }
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  const cairo_status_t surface_status = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (status != CAIRO_STATUS_SUCCESS || surface_status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(
        std::string("PDF rendering failed: ") +
        cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : surface_status));
  return out;
}

}  // namespace gotong::reports::pdf
