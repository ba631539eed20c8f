-- Administrative areas: the official regions (org_id NULL; Kemendagri codes, loaded by the
-- code step of this migration) and each organisation's own sub-areas (dusun, RW, RT) below a
-- village, visible only to that organisation.

CREATE TABLE areas (
  id @ID@,
  org_id BIGINT REFERENCES organisations(id),
  parent_id BIGINT REFERENCES areas(id),
  level INTEGER NOT NULL,                -- 1 province, 2 regency/city, 3 district, 4 village, 5+ below
  kind TEXT NOT NULL,                    -- provinsi, kabupaten, kota, kecamatan, desa, kelurahan, dusun, rw, rt, lainnya
  code TEXT,                             -- Kemendagri code of official regions
  bps_code TEXT,
  name TEXT NOT NULL,
  full_name TEXT NOT NULL,               -- "Sukamaju, Cibatu, Kabupaten Garut, Jawa Barat"
  search_key TEXT NOT NULL,              -- folded full name, for filtering by further words
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE UNIQUE INDEX areas_code ON areas(code) WHERE code IS NOT NULL;
CREATE INDEX areas_parent ON areas(parent_id, name);
CREATE INDEX areas_org ON areas(org_id) WHERE org_id IS NOT NULL;

-- One row per folded word of an area's own name: prefix search is an index range scan.
CREATE TABLE area_words (
  word @KEY@ NOT NULL,
  area_id BIGINT NOT NULL REFERENCES areas(id),
  PRIMARY KEY (word, area_id)
);
