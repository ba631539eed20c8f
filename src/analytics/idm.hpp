// The Village Development Index (Indeks Desa Membangun, Kemendesa PDTT): indicator definitions
// read from data/idm/indicators.csv, and the index of one assessment. Each indicator is scored
// 0–5; a group's index (IKS social, IKE economic, IKL ecological) is the sum of its scores over
// 5 × the indicators scored in that group; the IDM is the mean of the three; the status follows
// from the IDM rounded to four decimals, as published.
#pragma once

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::analytics::idm {

enum class Group { iks, ike, ikl };
inline constexpr std::array<Group, 3> kGroups = {Group::iks, Group::ike, Group::ikl};
std::string_view group_code(Group g);  // "IKS", "IKE", "IKL"
std::optional<Group> parse_group(std::string_view code);
std::string_view group_name_id(Group g);
std::string_view group_name_en(Group g);

enum class Status { sangat_tertinggal, tertinggal, berkembang, maju, mandiri };
// Upper bounds (inclusive) of the first four statuses.
inline constexpr double kSangatTertinggalMax = 0.4907;
inline constexpr double kTertinggalMax = 0.5989;
inline constexpr double kBerkembangMax = 0.7072;
inline constexpr double kMajuMax = 0.8155;
// The status of an IDM value (rounded to four decimals first).
Status status_of(double idm);
std::string_view status_code(Status s);     // "sangat_tertinggal" …
std::string_view status_name_id(Status s);  // "Sangat Tertinggal" …
std::string_view status_name_en(Status s);  // "Very underdeveloped" …

inline constexpr int kMinScore = 0;
inline constexpr int kMaxScore = 5;

struct Indicator {
  std::string code;  // "IKS.01"
  int number = 0;    // the questionnaire's number
  Group group = Group::iks;
  std::string dimension_id, dimension_en, name_id, name_en;
};

class DefinitionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Parses the definitions CSV (header code,number,group,dimension_id,dimension_en,name_id,name_en).
// Throws DefinitionError for a malformed file or a repeated code.
std::vector<Indicator> parse_definitions(std::string_view csv);

struct Score {
  Group group = Group::iks;
  int score = 0;  // 0–5
};

struct GroupIndex {
  int scored = 0;  // indicators scored in the group
  int sum = 0;
  std::optional<double> index;  // sum / (5 × scored); none when nothing was scored
};

struct Result {
  std::array<GroupIndex, 3> groups;  // in kGroups order
  std::optional<double> idm;         // only when every group has a score
  std::optional<Status> status;
  const GroupIndex& of(Group g) const { return groups[static_cast<int>(g)]; }
};

// Throws std::invalid_argument for a score outside 0–5.
Result compute(const std::vector<Score>& scores);

// Four decimals, as the index is published.
double round4(double v);

}  // namespace gotong::analytics::idm
