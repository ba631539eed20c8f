// The renderings of a program progress report: PDF (cairo + pango), XLSX (libxlsxwriter) and the
// JSON model the web app draws its HTML view from. Each takes the finished model and returns bytes.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "reports/model.hpp"

namespace gotong::reports {

// An A4 PDF: summary, results framework with indicators and disaggregation, charts, activities,
// people reached, budget, evaluations (when any) and the coordinator's narrative.
std::string render_pdf(const ProgramReport& r);

// A workbook with the sheets summary, indicators, disaggregation, activities and budget.
// libxlsxwriter 1.1 writes only to files: this goes through a temporary file it removes again,
// the one place a writer touches the disk.
std::string render_xlsx(const ProgramReport& r);

// One self-contained HTML page (inline CSS, charts as inline SVG, no script) for the web app's
// view of the report and for printing from a browser. Every text from users is escaped.
std::string render_html(const ProgramReport& r);

// The model as JSON (numbers as numbers, money in minor units, ids as strings), with the
// labels of the report's language where the web app would otherwise need our code tables.
boost::json::object to_json(const ProgramReport& r);

// "laporan-air-bersih-2026-01-01-2026-06-30.pdf": a file name from the program name and period.
std::string file_name(const ProgramReport& r, const std::string& extension);

}  // namespace gotong::reports
