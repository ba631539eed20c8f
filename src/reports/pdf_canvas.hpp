// A4 pages drawn with cairo and laid out with pango: running header and footer with page
// numbers, headings, paragraphs and tables that continue on the next page (a table repeats its
// header row there), and a cursor that moves down the page. The charts and the report's content
// are drawn on top of this (pdf_charts.cpp, pdf_writer.cpp).
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gotong::reports::pdf {

struct Rgb {
  double r = 0, g = 0, b = 0;
};
inline constexpr Rgb kInk{0.13, 0.15, 0.18};
inline constexpr Rgb kMuted{0.40, 0.43, 0.47};
inline constexpr Rgb kAccent{0.08, 0.36, 0.47};  // deep teal: headings, rules, table heads
inline constexpr Rgb kRule{0.78, 0.80, 0.82};
inline constexpr Rgb kStripe{0.955, 0.965, 0.97};

enum class Align { left, right, center };

struct Font {
  double size = 9;
  bool bold = false;
  bool italic = false;
};

struct Cell {
  std::string text;
  std::optional<Rgb> fill;  // background of this cell (status colours)
  bool bold = false;
};
struct Column {
  std::string title;
  double width = 1;  // relative to the other columns
  Align align = Align::left;
};
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // a row of one cell spans the table (a group heading)
  double font_size = 8;
};

// What the running header and footer say.
struct Decor {
  std::string header_left, header_right;  // program, period
  std::string footer_left;                // organisation
  std::string page_word, of_word;         // "Halaman", "dari"
};

class Canvas {
 public:
  static constexpr double kPageWidth = 595.276, kPageHeight = 841.890;  // A4 in points
  static constexpr double kLeft = 56, kRight = 56, kTop = 64, kBottom = 62;

  // `total_pages` is 0 on the first pass (the footer then leaves the total out).
  Canvas(cairo_t* cr, Decor decor, int total_pages);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() const { return cr_; }
  double left() const { return kLeft; }
  double width() const { return kPageWidth - kLeft - kRight; }
  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  double room() const { return kPageHeight - kBottom - y_; }
  int page() const { return page_; }

  // Starts the next page (the first call starts page 1); ends the current one with its footer.
  void new_page();
  // Ends the document's last page.
  void finish();
  // A new page unless `height` fits below the cursor.
  void ensure(double height);
  void space(double height) { y_ += height; }

  // A pango layout of `text` wrapped to `width` points.
  using LayoutPtr = std::unique_ptr<PangoLayout, void (*)(void*)>;
  LayoutPtr layout(const std::string& text, Font font, double width, Align align = Align::left) const;
  static double height_of(PangoLayout* l);
  static double width_of(PangoLayout* l);
  // Draws `l` with its top left corner at (x, y).
  void draw(PangoLayout* l, double x, double y, Rgb color = kInk) const;
  // Text at a point: `align` says which side of the text `x` is.
  void label(const std::string& text, Font font, double x, double y, Align align = Align::left,
             Rgb color = kInk) const;

  // Section heading (level 1) or sub-heading (level 2), kept with `keep` points of what follows
  // (by default room for a table head and a few rows).
  void heading(const std::string& text, int level, double keep = -1);
  // Wrapped text over the content width, continued line by line on the next page when needed.
  void paragraph(const std::string& text, Font font = {}, Rgb color = kInk, double indent = 0);
  void table(const Table& t);
  // What table(t) needs below the cursor before it starts (for keeping a heading with it).
  double start_height(const Table& t) const;

  static void set_color(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

 private:
  void header();
  void footer();
  std::vector<double> column_widths(const Table& t) const;
  LayoutPtr cell_layout(const std::string& text, Font font, double width, Align align) const;
  double row_height(const Table& t, const std::vector<Cell>& row, const std::vector<double>& widths) const;
  void draw_row(const Table& t, const std::vector<Cell>& row, const std::vector<double>& widths, double h,
                bool head, bool stripe);

  cairo_t* cr_;
  PangoFontMap* fonts_;
  PangoContext* context_;
  Decor decor_;
  int total_pages_;
  int page_ = 0;
  double y_ = kTop;
};

// Renders with `draw` twice: once to count the pages, then for real with "page N of M".
// Returns the PDF's bytes.
std::string render(const Decor& decor, const std::string& title, const std::string& author,
                   void (*draw)(Canvas&, const void*), const void* data);

}  // namespace gotong::reports::pdf
