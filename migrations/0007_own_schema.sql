-- 0007: the catalog lives in a schema of its own (vendormatch by default;
-- --schema NAME or VENDORMATCH_SCHEMA), so it coexists with other applications
-- in a shared database. A new catalog is created there from the start and this
-- migration moves nothing. A catalog made by an earlier vendormatch lives in
-- public with its public.schema_migrations: vendormatch applies its pending
-- migrations there, then this one moves every catalog table into the schema
-- named by the setting vendormatch.schema (src/db/migrate.c sets it). ALTER
-- TABLE ... SET SCHEMA carries each table's rows, indexes, constraints,
-- defaults and the sequences its serial columns own; nothing is copied.
DO $$
DECLARE
    target text := coalesce(nullif(current_setting('vendormatch.schema', true), ''),
                            current_schema());
    t text;
BEGIN
    IF target = 'public' OR to_regclass('public.vendors') IS NULL
       OR to_regclass(format('%I.vendors', target)) IS NOT NULL THEN
        RETURN;
    END IF;
    FOREACH t IN ARRAY ARRAY['sources', 'import_batches', 'taxonomy_categories',
                             'taxonomy_aliases', 'vendors', 'vendor_sources', 'import_rejects',
                             'shortlists', 'shortlist_entries', 'shortlist_excluded',
                             'schema_migrations'] LOOP
        EXECUTE format('ALTER TABLE public.%I SET SCHEMA %I', t, target);
    END LOOP;
END
$$;
