// `gotong form convert|check`: XLSForm → XForm on the command line, like pyxform's xls2xform.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "base/error.hpp"
#include "forms/xform/schema.hpp"
#include "forms/xlsform/convert.hpp"

namespace gotong::app {

namespace xlsform = forms::xlsform;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Converts and reports: every diagnostic on its own line as `sheet:row:column: message`.
xlsform::ConvertResult convert_reporting(const std::string& path) {
  std::string bytes = read_file(path);
  auto span = std::as_bytes(std::span(bytes.data(), bytes.size()));
  auto result = xlsform::convert(span, std::filesystem::path(path).filename().string());
  for (const auto& w : result.warnings) std::cerr << "warning: " << xlsform::format_diagnostic(w) << "\n";
  if (!result.ok()) {
    std::cerr << path << ": " << result.errors.size() << (result.errors.size() == 1 ? " error" : " errors")
              << "; the form cannot be used until they are fixed:\n";
    for (const auto& e : result.errors) std::cerr << xlsform::format_diagnostic(e) << "\n";
  }
  return result;
}

}  // namespace

int form_convert(const std::string& file, const std::string& output) {
  auto result = convert_reporting(file);
  if (!result.ok()) return 1;
  if (output.empty() || output == "-") {
    std::cout << result.xform_xml;
  } else {
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCode::bad_request, "cannot write " + output);
    out << result.xform_xml;
    std::cerr << "wrote " << output << "\n";
  }
  return 0;
}

int form_check(const std::string& file) {
  if (std::filesystem::path(file).extension() == ".xml") {
    try {
      auto schema = forms::xform::read_schema(read_file(file));
      std::cout << file << ": a valid XForm (form id " << schema.form_id << ", version "
                << (schema.version.empty() ? "-" : schema.version) << ", " << schema.nodes.size() - 1
                << " nodes)\n";
      return 0;
    } catch (const forms::xform::XFormError& e) {
      std::cerr << file << ": " << e.what() << "\n";
      return 1;
    }
  }
  auto result = convert_reporting(file);
  if (!result.ok()) return 1;
  auto schema = forms::xform::read_schema(result.xform_xml);
  std::cout << file << ": ok (form id " << schema.form_id << ", version "
            << (schema.version.empty() ? "-" : schema.version) << ", " << schema.nodes.size() - 1 << " nodes, "
            << result.warnings.size() << " warnings)\n";
  return 0;
}

}  // namespace gotong::app
