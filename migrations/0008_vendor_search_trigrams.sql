-- 0008_vendor_search_trigrams: `vendors search` and `vendors show NAME`'s
-- suggestions forgive typos, case and accents. vendors.name_key is already
-- case- and accent-folded, without punctuation or legal suffixes (the
-- importer's norm_name_key); pg_trgm's word similarity (`<%`) against it
-- finds a misspelt name or one word of a longer name, and this GIN trigram
-- index keeps that an index scan at a million vendors (a sequential scan
-- took 15-19 s there; docs/benchmarks.md). Websites are matched exactly, by
-- the existing vendors_website_host_idx.
--
-- pg_trgm ships with PostgreSQL (postgresql-contrib; Debian's postgresql-15
-- includes it) and is a trusted extension: a database owner may create it
-- without being superuser. A new one goes into the catalog's schema; one
-- another application created earlier may live in any schema, so its
-- operator class is named with the schema it is in.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$
DECLARE
    trgm_schema text;
BEGIN
    SELECT n.nspname INTO trgm_schema FROM pg_extension e
      JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX vendors_name_key_trgm ON vendors USING gin (name_key %I.gin_trgm_ops)',
                   trgm_schema);
END
$$;
