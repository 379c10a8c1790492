-- 0012_source_records: one vendor, many catalogs (issue 12; docs/import.md,
-- "Many sources"). Each (vendor, source) link in vendor_sources now holds
-- that source's own record of the vendor: its original texts, normalised
-- values, extra attributes and content hash, with the batch that first
-- wrote it and the batch that last changed it. The vendors row becomes the
-- merged view of its records (recomputed by the importer and by `sources`
-- for the vendors they touch), so `match` keeps reading one row a vendor.
--
-- sources gains what a user manages: a priority (higher wins a scalar
-- field; equal priorities: the most recently changed record wins), the
-- column mapping and delimiter of its last import, and when that was.

ALTER TABLE sources
    ADD COLUMN priority       integer NOT NULL DEFAULT 0,
    ADD COLUMN column_map     text[],       -- the --map FIELD=HEADER of the last import
    ADD COLUMN delimiter      text,         -- the --delimiter of the last import (NULL: detected)
    ADD COLUMN header         text[],       -- the header row of the last import
    ADD COLUMN last_import_at timestamptz;

UPDATE sources s SET last_import_at = b.t
  FROM (SELECT source_id, max(coalesce(finished_at, started_at)) AS t
          FROM import_batches GROUP BY source_id) b
 WHERE b.source_id = s.id;

-- The record columns are the importer's vendor columns (names and types as
-- in vendors) without the classification, which belongs to the merged view.
-- A link without a record (content_hash NULL) is a source whose facts an
-- earlier version overwrote: it lists the vendor and says nothing more.
ALTER TABLE vendor_sources
    ADD COLUMN name               text,
    ADD COLUMN name_key           text,
    ADD COLUMN website            text,
    ADD COLUMN website_host       text,
    ADD COLUMN country            character(2),
    ADD COLUMN country_raw        text,
    ADD COLUMN city               text,
    ADD COLUMN services_raw       text,
    ADD COLUMN service_phrases    text[] NOT NULL DEFAULT '{}',
    ADD COLUMN industries_raw     text,
    ADD COLUMN industries         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN languages_raw      text,
    ADD COLUMN languages          text[] NOT NULL DEFAULT '{}',
    ADD COLUMN certifications_raw text,
    ADD COLUMN certifications     text[] NOT NULL DEFAULT '{}',
    ADD COLUMN employees_raw      text,
    ADD COLUMN employees_min      integer,
    ADD COLUMN employees_max      integer,
    ADD COLUMN founded_raw        text,
    ADD COLUMN founded            integer,
    ADD COLUMN rate_raw           text,
    ADD COLUMN rate_min           numeric(12,2),
    ADD COLUMN rate_max           numeric(12,2),
    ADD COLUMN currency           character(3),
    ADD COLUMN rating_raw         text,
    ADD COLUMN rating             numeric(4,2),
    ADD COLUMN delivery_raw       text,
    ADD COLUMN delivery           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN email              text,
    ADD COLUMN phone              text,
    ADD COLUMN description        text,
    ADD COLUMN expertise          text,
    ADD COLUMN data_security      text,
    ADD COLUMN extra              jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN content_hash       text;

-- import --full: the vendors the source no longer lists lose its record.
ALTER TABLE import_batches ADD COLUMN retired integer NOT NULL DEFAULT 0;

COMMENT ON COLUMN vendor_sources.last_batch_id IS
    'the batch that last changed this record (an unchanged re-import leaves it)';

-- Today's vendor rows become records of the source that last wrote them
-- (the source of their last batch; a vendor without one: its first linked
-- source; a vendor linked to none: the source "unattributed"). Nothing
-- stored is lost: every importer column of every vendor row is copied.
INSERT INTO sources (name)
SELECT 'unattributed'
 WHERE EXISTS (SELECT 1 FROM vendors v LEFT JOIN import_batches b ON b.id = v.last_batch_id
                WHERE b.source_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM vendor_sources x WHERE x.vendor_id = v.id))
ON CONFLICT (name) DO NOTHING;

INSERT INTO vendor_sources (vendor_id, source_id, first_batch_id, last_batch_id,
    name, name_key, website, website_host, country, country_raw, city, services_raw,
    service_phrases, industries_raw, industries, languages_raw, languages,
    certifications_raw, certifications, employees_raw, employees_min, employees_max,
    founded_raw, founded, rate_raw, rate_min, rate_max, currency, rating_raw, rating,
    delivery_raw, delivery, email, phone, description, expertise, data_security, extra,
    content_hash)
SELECT v.id,
       coalesce(b.source_id,
                (SELECT min(x.source_id) FROM vendor_sources x WHERE x.vendor_id = v.id),
                (SELECT s.id FROM sources s WHERE s.name = 'unattributed')),
       v.first_batch_id, v.last_batch_id,
       v.name, v.name_key, v.website, v.website_host, v.country, v.country_raw, v.city,
       v.services_raw, v.service_phrases, v.industries_raw, v.industries, v.languages_raw,
       v.languages, v.certifications_raw, v.certifications, v.employees_raw, v.employees_min,
       v.employees_max, v.founded_raw, v.founded, v.rate_raw, v.rate_min, v.rate_max,
       v.currency, v.rating_raw, v.rating, v.delivery_raw, v.delivery, v.email, v.phone,
       v.description, v.expertise, v.data_security, v.extra, v.content_hash
  FROM vendors v LEFT JOIN import_batches b ON b.id = v.last_batch_id
ON CONFLICT (vendor_id, source_id) DO UPDATE SET
    (name, name_key, website, website_host, country, country_raw, city, services_raw,
     service_phrases, industries_raw, industries, languages_raw, languages,
     certifications_raw, certifications, employees_raw, employees_min, employees_max,
     founded_raw, founded, rate_raw, rate_min, rate_max, currency, rating_raw, rating,
     delivery_raw, delivery, email, phone, description, expertise, data_security, extra,
     content_hash) =
    (EXCLUDED.name, EXCLUDED.name_key, EXCLUDED.website, EXCLUDED.website_host,
     EXCLUDED.country, EXCLUDED.country_raw, EXCLUDED.city, EXCLUDED.services_raw,
     EXCLUDED.service_phrases, EXCLUDED.industries_raw, EXCLUDED.industries,
     EXCLUDED.languages_raw, EXCLUDED.languages, EXCLUDED.certifications_raw,
     EXCLUDED.certifications, EXCLUDED.employees_raw, EXCLUDED.employees_min,
     EXCLUDED.employees_max, EXCLUDED.founded_raw, EXCLUDED.founded, EXCLUDED.rate_raw,
     EXCLUDED.rate_min, EXCLUDED.rate_max, EXCLUDED.currency, EXCLUDED.rating_raw,
     EXCLUDED.rating, EXCLUDED.delivery_raw, EXCLUDED.delivery, EXCLUDED.email,
     EXCLUDED.phone, EXCLUDED.description, EXCLUDED.expertise, EXCLUDED.data_security,
     EXCLUDED.extra, EXCLUDED.content_hash);

-- The merge rules' two aggregates (the rules themselves: src/db/merge_sql.c).
-- vm_array_union: the distinct items of the arrays it is given, in the order
-- given (the caller orders by priority, so the highest source's items come
-- first). vm_jsonb_merge: the keys of every object; for a key several
-- objects have, the last one given wins (the caller orders by rising
-- priority).
CREATE FUNCTION vm_array_union_step(acc anycompatiblearray, items anycompatiblearray)
RETURNS anycompatiblearray LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT acc || ARRAY(SELECT x FROM (SELECT x, min(o) AS o
                                              FROM unnest(items) WITH ORDINALITY AS u(x, o)
                                             WHERE x <> ALL (acc) GROUP BY x) t
                           ORDER BY o) $$;

CREATE AGGREGATE vm_array_union(anycompatiblearray) (
    SFUNC = vm_array_union_step, STYPE = anycompatiblearray);

CREATE AGGREGATE vm_jsonb_merge(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb);
