#include "reports/writers.hpp"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <regex>

#include "reports/iati_writer.hpp"

namespace gotong::reports {
namespace {

ProgramReport sample(Lang lang, int activities = 3) {
  ProgramReport r;
  r.lang = lang;
  r.organisation = {"Yayasan Contoh", "contoh"};
  r.program_id = 7;
  r.program_name = "Air Bersih untuk Desa Bosen";
  r.description = "Akses air minum aman bagi empat dusun.";
  r.status = "active";
  r.program_start = "2025-01-01";
  r.program_end = "2027-12-31";
  r.currency = "IDR";
  r.areas = {"Bosen"};
  r.stakeholders = {{"Dana Air Nusantara", "donor"}, {"PKK Desa Bosen", "implementing_partner"}};
  r.period = {"2026-01-01", "2026-06-30"};
  r.generated_on = "2026-11-28";
  ResultNode goal{1, std::nullopt, 0, "Goal", "1", "Warga sehat", "", "", "", {}};
  ResultNode outcome{2, 1, 1, "Outcome", "1.1", "Rumah tangga memakai air aman", "", "", "", {}};
  Indicator i;
  i.id = 11;
  i.code = "IND-1";
  i.title = "Rumah tangga dengan sumber air terlindung";
  i.measure = "percentage";
  i.direction = "increase";
  i.baseline = 35.5;
  i.baseline_date = "2025-03-01";
  i.actual = 62.25;
  i.actual_period = "2026-Q2";
  i.target = 60;
  i.target_period = "2026-Q2";
  i.status = "on_track";
  i.points = {{"2026-Q1", "2026-01-01", "2026-03-31", 50, 48, "behind"},
              {"2026-Q2", "2026-04-01", "2026-06-30", 60, 62.25, "on_track"}};
  i.disaggregation = {{"sex", "field", "head_sex", {{"female", "", 64.0, 120}, {"male", "", 60.5, 110}}},
                      {"dusun", "area", "", {{"53.02.03.2003.01", "Dusun I Bosen", 70.0, 50}}}};
  outcome.indicators.push_back(i);
  r.results = {goal, outcome};
  for (int k = 0; k < activities; ++k)
    r.activities.push_back({"A" + std::to_string(k), "Pelatihan kader air " + std::to_string(k),
                            k % 2 ? "done" : "ongoing", "2026-02-01", "2026-03-31", std::string("2026-02-03"),
                            std::nullopt, "PKK", "Bosen", 2, 40, 31});
  r.reach.sessions = 6;
  r.reach.attendances = 120;
  r.reach.unique_people = 93;
  r.reach.female = 50;
  r.reach.male = 43;
  r.budget.present = true;
  r.budget.currency = "IDR";
  r.budget.planned_total = 450000000;
  r.budget.planned_in_period = 90000000;
  r.budget.actual_in_period = 81250000;
  r.budget.categories = {
      {"apbdes_2", "Pelaksanaan Pembangunan Desa", 300000000, 120000000, 60000000, 55000000}};
  r.budget.lines = {{"B1", "Pipa", 300000000, 120000000, 60000000, 55000000}};
  r.budget.months = {{"2026-01", 15000000, 12000000}, {"2026-02", 15000000, 18000000}};
  r.narrative.summary = "Kemajuan baik.";
  r.narrative.challenges = "Musim kemarau panjang.";
  return r;
}

int page_count(const std::string& pdf) {
  const std::regex page(R"(/Type\s*/Page[^s])");
  return static_cast<int>(
      std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

TEST(ReportPdf, IsAPdfWithPages) {
  const std::string pdf = render_pdf(sample(Lang::id));
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  EXPECT_GE(page_count(pdf), 2);
}

TEST(ReportPdf, EvaluationSectionOnlyWithEvaluations) {
  ProgramReport r = sample(Lang::en);
  const std::string without = render_pdf(r);
  Evaluation e;
  e.title = "Endline evaluation";
  e.rows.push_back({"Households with piped water (%)", "proportion", 25.0, 75.0, 50.0, -13.5, 78.9, 0.157,
                    std::nullopt, 4, 4, "25% before and 75% after."});
  e.criteria.push_back(
      {"effectiveness", 3, "3 – Satisfactory", "• Endline survey", "Most households use piped water."});
  e.lessons = "• Involve women's groups early";
  e.note = "";
  r.evaluations.push_back(e);
  const std::string with = render_pdf(r);
  EXPECT_EQ(with.substr(0, 5), "%PDF-");
  EXPECT_GT(with.size(), without.size() + 1000);  // a table, sentences and criteria more
  EXPECT_EQ(to_json(r).at("evaluations").as_array().at(0).at("rows").as_array().size(), 1u);
}

TEST(ReportPdf, LongTablesContinueOnMorePages) {
  const int few = page_count(render_pdf(sample(Lang::en, 3)));
  const int many = page_count(render_pdf(sample(Lang::en, 200)));
  EXPECT_GE(many, few + 4);  // 200 activity rows do not fit on a few pages
}

TEST(ReportPdf, LongTextEndsInCellsAndFlowsInParagraphs) {
  ProgramReport r = sample(Lang::id, 1);
  std::string words;
  while (words.size() < 20000) words += "kata panjang sekali ";
  r.activities[0].title = words;  // a cell stops at a page's height
  const int with_cell = page_count(render_pdf(r));
  EXPECT_LE(with_cell, page_count(render_pdf(sample(Lang::id, 1))) + 2);
  r.narrative.achievements = words + words + words;  // a paragraph continues over pages
  EXPECT_GE(page_count(render_pdf(r)), with_cell + 4);
}

TEST(ReportPdf, EmptyProgramStillRenders) {
  ProgramReport r;
  r.program_name = "Kosong";
  r.period = {"2026-01-01", "2026-01-31"};
  const std::string pdf = render_pdf(r);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_GE(page_count(pdf), 1);
}

TEST(ReportXlsx, HasTheFiveSheets) {
  const std::string x = render_xlsx(sample(Lang::en));
  ASSERT_GT(x.size(), 100u);
  EXPECT_EQ(x.substr(0, 2), "PK");
  for (int i = 1; i <= 5; ++i)
    EXPECT_NE(x.find("xl/worksheets/sheet" + std::to_string(i) + ".xml"), std::string::npos) << i;
  EXPECT_EQ(x.find("xl/worksheets/sheet6.xml"), std::string::npos);
}

TEST(ReportJson, CarriesTheModel) {
  const auto j = to_json(sample(Lang::id));
  EXPECT_EQ(j.at("lang").as_string(), "id");
  EXPECT_EQ(j.at("program").at("id").as_string(), "7");
  const auto& ind = j.at("results").as_array().at(1).at("indicators").as_array().at(0).as_object();
  EXPECT_EQ(ind.at("status").as_string(), "on_track");
  EXPECT_EQ(ind.at("status_label").as_string(), "Sesuai target");
  EXPECT_DOUBLE_EQ(ind.at("actual").as_double(), 62.25);
  const auto& dims = ind.at("disaggregation").as_array();
  EXPECT_EQ(dims.at(0).at("dimension_label").as_string(), "Jenis kelamin");
  EXPECT_EQ(dims.at(0).at("values").at(0).at("label").as_string(), "Perempuan");
  EXPECT_EQ(dims.at(1).at("values").at(0).at("label").as_string(), "Dusun I Bosen");
  EXPECT_EQ(j.at("budget").at("actual_in_period").as_int64(), 81250000);
  EXPECT_EQ(j.at("period").at("label").as_string(), "1 Januari 2026 – 30 Juni 2026");
  EXPECT_EQ(file_name(sample(Lang::id), "pdf"),
            "laporan-air-bersih-untuk-desa-bosen-2026-01-01-2026-06-30.pdf");
}

TEST(ReportHtml, SelfContainedPageWithEscapedText) {
  ProgramReport r = sample(Lang::id);
  r.program_name = "Air <script>alert(1)</script> & \"Sanitasi\"";
  r.narrative.achievements = "Baris satu\nBaris <b>dua</b>";
  const std::string html = render_html(r);
  EXPECT_EQ(html.rfind("<!DOCTYPE html><html lang=\"id\">", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("Air &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sanitasi&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("Baris satu<br>Baris &lt;b&gt;dua&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);  // indicator and budget charts
  EXPECT_NE(html.find("1 Januari 2026 – 30 Juni 2026"), std::string::npos);
  EXPECT_NE(html.find("Rp 81.250.000"), std::string::npos);
  EXPECT_NE(html.find("Sesuai target"), std::string::npos);
  EXPECT_EQ(html.find("Hasil evaluasi"), std::string::npos);  // no evaluation, no section
}

TEST(ReportIati, ResultsWithIndicatorsBaselinesAndPeriods) {
  IatiFile f;
  f.options.organisation_ref = "ID-KHH-123";
  f.options.generated_at = "2026-11-28T10:00:00Z";
  f.programs.push_back(sample(Lang::id));
  const std::string xml = render_iati(f);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  auto root = doc.child("iati-activities");
  EXPECT_STREQ(root.attribute("version").value(), "2.03");
  auto a = root.child("iati-activity");
  EXPECT_STREQ(a.child_value("iati-identifier"), "ID-KHH-123-7");
  EXPECT_STREQ(a.child("reporting-org").attribute("ref").value(), "ID-KHH-123");
  // The goal has no indicator and is left out; the outcome is a result of type 2.
  auto result = a.child("result");
  EXPECT_STREQ(result.attribute("type").value(), "2");
  EXPECT_FALSE(result.next_sibling("result"));
  auto ind = result.child("indicator");
  EXPECT_STREQ(ind.attribute("measure").value(), "2");
  EXPECT_STREQ(ind.attribute("ascending").value(), "1");
  EXPECT_STREQ(ind.child("baseline").attribute("year").value(), "2025");
  EXPECT_STREQ(ind.child("baseline").attribute("value").value(), "35.5");
  auto q2 = ind.child("period").next_sibling("period");
  EXPECT_STREQ(q2.child("period-start").attribute("iso-date").value(), "2026-04-01");
  EXPECT_STREQ(q2.child("target").attribute("value").value(), "60");
  EXPECT_STREQ(q2.child("actual").attribute("value").value(), "62.25");
  auto female = q2.child("actual").next_sibling("actual");
  EXPECT_STREQ(female.child("dimension").attribute("name").value(), "sex");
  EXPECT_STREQ(female.child("dimension").attribute("value").value(), "female");
  auto dusun = female.next_sibling("actual").next_sibling("actual");
  EXPECT_STREQ(dusun.child("dimension").attribute("value").value(), "Dusun I Bosen");
  // The plan per year and the spending per month, in whole rupiah.
  auto budget = a.child("budget");
  EXPECT_STREQ(budget.child("period-start").attribute("iso-date").value(), "2026-01-01");
  EXPECT_STREQ(budget.child("period-end").attribute("iso-date").value(), "2026-12-31");
  EXPECT_STREQ(budget.child("value").text().get(), "30000000");
  EXPECT_STREQ(budget.child("value").attribute("currency").value(), "IDR");
  auto feb = a.child("transaction").next_sibling("transaction");
  EXPECT_STREQ(feb.child("transaction-type").attribute("code").value(), "4");
  EXPECT_STREQ(feb.child("transaction-date").attribute("iso-date").value(), "2026-02-28");
  EXPECT_STREQ(feb.child("value").text().get(), "18000000");
  EXPECT_STREQ(std::string(budget.next_sibling().name()).c_str(), "transaction");
  // Element order matters to the schema: participating-org before activity-status.
  EXPECT_STREQ(a.child("activity-status").previous_sibling().name(), "participating-org");
}

TEST(ReportIati, ResultTypes) {
  EXPECT_EQ(result_type("Goal", 0), 3);
  EXPECT_EQ(result_type("Tujuan", 0), 3);
  EXPECT_EQ(result_type("Outcome", 1), 2);
  EXPECT_EQ(result_type("Output", 2), 1);
  EXPECT_EQ(result_type("Keluaran", 2), 1);
  EXPECT_EQ(result_type("Tingkat 2", 1), 2);
  EXPECT_EQ(result_type("Tingkat 4", 3), 1);
}

}  // namespace
}  // namespace gotong::reports
