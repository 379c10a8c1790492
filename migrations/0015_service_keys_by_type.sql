-- 0015_service_keys_by_type: the near misses failing only the type, read
-- in key order (docs/matching.md, "Retrieval": "Rare near misses failing
-- the type"). 0014's partial GIN of the services per rejected type found
-- exactly those vendors, but not their keys: a match read every one of them
-- from the heap to sort them (the 5,615 KPO vendors offering customer
-- support at 1,000,000 vendors, about 20-35 ms). These index, per type, a
-- vendor's services each combined with its key's bucket:
--   service id * 128 + least(floor(K * 50), 100)
-- (K as in 0003's vendors_quality_idx, buckets of 0.02, the last holding
-- every K >= 2), so a chunk asks for the requested services in the buckets
-- of one key span only (vm_service_key_span) and reads just those rows. The
-- first 8 services of a vendor are keyed; a vendor with more carries the key
-- -1, which every span includes, so it is always read and its services
-- checked (the statement keeps the exact service and key conditions).
-- match_db.c writes the same expression; they must stay identical, as must
-- the predicates (one equality per type a need can reject; HYBRID never is).
CREATE FUNCTION vm_service_key_span(ids int4[], lo float8, hi float8) RETURNS int4[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT ARRAY(SELECT s * 128 + b FROM unnest(ids) s,
                 generate_series(LEAST(floor(GREATEST(lo, 0) * 50), 100)::int4,
                                 CASE WHEN hi >= 2 THEN 100 ELSE floor(hi * 50)::int4 END) b)
           || -1
$$;

-- One index per type, the same expression in each: services[1] to [8]
-- keyed, then -1 for more.
DO $$
DECLARE
    k constant text := '((COALESCE(rating::float8, 0) / 5) + CASE WHEN manual_type IS NOT NULL '
                       'THEN 1 ELSE confidence::float8 END)';
    keys text;
    t text;
BEGIN
    SELECT string_agg(format('services[%s] * 128 + LEAST(floor(%s * 50), 100)::int4', i, k), ', ')
      INTO keys FROM generate_series(1, 8) i;
    FOREACH t IN ARRAY ARRAY['BPO', 'KPO', 'UNCLASSIFIED'] LOOP
        EXECUTE format('CREATE INDEX %I ON vendors USING gin ((ARRAY[%s, '
                       'CASE WHEN cardinality(services) > 8 THEN -1 END])) '
                       'WHERE effective_type = %L',
                       'vendors_service_keys_' || lower(t) || '_gin', keys, t);
    END LOOP;
END
$$;

DROP INDEX vendors_services_bpo_gin;
DROP INDEX vendors_services_kpo_gin;
DROP INDEX vendors_services_unclassified_gin;
