// Administrative areas: Indonesia's official regions (province → regency/city → district →
// village, Kemendagri codes) shared by everybody, and each organisation's own sub-areas
// (dusun, RW, RT) under a village, visible only to that organisation.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "domain/context.hpp"

namespace gotong::domain::areas {

struct Area {
  std::int64_t id = 0;
  std::optional<std::int64_t> org_id;
  std::optional<std::int64_t> parent_id;
  int level = 0;  // 1 province, 2 regency/city, 3 district, 4 village, 5.. organisation's own
  std::string kind, code, name, full_name;
  std::int64_t version = 1;
};

// The migration step that loads the official regions from the embedded wilayah.csv.
db::Migration regions_migration();
// Migration 8: organisations' sub-areas get codes below their village's ("53.02.03.2003.01"),
// unique per organisation, so that forms can name a dusun by a code that is the same in every
// installation (ids are not); existing sub-areas are numbered in the order they were made.
db::Migration sub_area_codes_migration();
// Parses wilayah.csv ("code,name" lines) into the database; returns the number of areas.
std::size_t import_regions(db::Connection& c, std::string_view csv);

Area get(db::Connection& c, const OrgScope& s, std::int64_t id);
// An official region by its Kemendagri code.
std::optional<Area> find_by_code(db::Connection& c, std::string_view code);
// Children of `parent` (top level: the provinces when parent is empty), sorted by name.
std::vector<Area> children(db::Connection& c, const OrgScope& s, std::optional<std::int64_t> parent);
// Areas whose name has a word starting with the query's first word and whose full name
// contains the others ("sukamaju garut"); case and accents ignored.
std::vector<Area> search(db::Connection& c, const OrgScope& s, std::string_view query, int limit = 20);

// The organisation's own sub-areas; parent must be a village or one of its own sub-areas.
Area create(db::Connection& c, const OrgScope& s, std::int64_t parent_id, std::string_view name,
            std::string_view kind);
Area rename(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
            std::string_view name);
void remove(db::Connection& c, const OrgScope& s, std::int64_t id);

boost::json::object to_json(const Area& a);

}  // namespace gotong::domain::areas
