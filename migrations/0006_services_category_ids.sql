-- 0006_services_category_ids: vendors.services holds the ids of the taxonomy
-- categories a vendor's services matched (taxonomy_categories.id), in the
-- order they were first matched, instead of their codes. Categories are
-- never deleted or renumbered (taxonomy add/import only insert), so an id
-- names its category for good; every reader maps ids back to codes
-- (vendor_db.c, match_db.c, stats).
--
-- Why: the services GIN and the covering index (0003) hold this column for
-- every vendor. A first import of 1,000,000 tagged vendors built the GIN over
-- ~2.3 million codes, each comparison a strcoll() under the database's
-- C.UTF-8 collation; over int4 it is an integer comparison, the server
-- receives 4-byte items instead of text values, and the rows are ~40 bytes
-- smaller. In isolation at 1M: GIN 0.60 s -> 0.31 s, receiving the column
-- 0.59 s -> 0.41 s (docs/benchmarks.md, "Fourth round").
CREATE FUNCTION pg_temp.category_ids(codes text[]) RETURNS int4[]
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(c.id ORDER BY u.n), '{}')
    FROM unnest(codes) WITH ORDINALITY AS u(code, n)
    JOIN taxonomy_categories c ON c.code = u.code
$$;

ALTER TABLE vendors ALTER COLUMN services DROP DEFAULT;
ALTER TABLE vendors ALTER COLUMN services TYPE int4[] USING pg_temp.category_ids(services);
ALTER TABLE vendors ALTER COLUMN services SET DEFAULT '{}';
COMMENT ON COLUMN vendors.services IS
    'ids of the taxonomy categories matched from services, in first-matched order';
DROP FUNCTION pg_temp.category_ids(text[]);
