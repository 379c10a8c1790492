-- 0014_services_by_type_index: the services of the vendors of each type a
-- need can reject, one partial GIN per type (docs/matching.md, "Retrieval":
-- "Rare near misses failing the type"). A match's near misses failing only
-- the type are the vendors of a rejected type offering a requested service;
-- the services mostly decide the type, so they are often a few among the
-- tens of thousands offering the service, and low in the key order (their
-- tag's confidence is low). match_db.c reads them in one bitmap scan; with
-- only vendors_services_gin and vendors_type_idx that scan ANDs the bitmap
-- of every vendor offering the service with that of every vendor of the
-- type (about 50 ms at 1,000,000 vendors for `customer support` against
-- KPO); these give exactly the vendors of the type offering it (under 1 ms).
-- HYBRID is never rejected (every process accepts it), so it has none.
-- The predicates must stay the equalities match_db.c writes for each
-- rejected type, or the planner will not use them.
CREATE INDEX vendors_services_bpo_gin ON vendors USING gin (services) WHERE effective_type = 'BPO';
CREATE INDEX vendors_services_kpo_gin ON vendors USING gin (services) WHERE effective_type = 'KPO';
CREATE INDEX vendors_services_unclassified_gin ON vendors USING gin (services)
    WHERE effective_type = 'UNCLASSIFIED';
