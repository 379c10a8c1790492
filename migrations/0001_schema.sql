-- 0001_schema: the whole catalog, designed for the full product (SPEC.md).
--
-- Flow: sources -> import_batches -> vendors (+ vendor_sources for provenance
-- and the source-scoped ids) ; taxonomy_* classify vendors ; shortlists
-- keep a frozen copy of what match computed. Arrays hold multi-valued
-- normalised fields so matching filters with GIN indexes instead of joins.

CREATE TABLE sources (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_batches (
    id           bigserial PRIMARY KEY,
    source_id    integer NOT NULL REFERENCES sources(id),
    file_name    text NOT NULL,
    file_sha256  text NOT NULL,
    file_bytes   bigint NOT NULL DEFAULT 0,
    on_error     text NOT NULL DEFAULT 'abort' CHECK (on_error IN ('abort', 'skip')),
    rows_read    integer NOT NULL DEFAULT 0,
    inserted     integer NOT NULL DEFAULT 0,
    updated      integer NOT NULL DEFAULT 0,
    unchanged    integer NOT NULL DEFAULT 0,
    rejected     integer NOT NULL DEFAULT 0,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX import_batches_sha_idx ON import_batches (file_sha256);

-- The service taxonomy: categories on one side (BPO or KPO) with a weight,
-- and alias phrases stored with their normalised form for exact lookup.
CREATE TABLE taxonomy_categories (
    id            serial PRIMARY KEY,
    code          text NOT NULL UNIQUE,
    name          text NOT NULL,
    process_type  text NOT NULL CHECK (process_type IN ('BPO', 'KPO')),
    weight        real NOT NULL DEFAULT 1.0 CHECK (weight > 0),
    description   text,
    origin        text NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed', 'user'))
);

CREATE TABLE taxonomy_aliases (
    id           serial PRIMARY KEY,
    category_id  integer NOT NULL REFERENCES taxonomy_categories(id) ON DELETE CASCADE,
    phrase       text NOT NULL,
    phrase_norm  text NOT NULL UNIQUE,
    origin       text NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed', 'user')),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX taxonomy_aliases_category_idx ON taxonomy_aliases (category_id);

CREATE TABLE vendors (
    id                  bigserial PRIMARY KEY,
    name                text NOT NULL,
    name_key            text NOT NULL,          -- lower-case name, legal suffix removed
    website             text,
    website_host        text,
    country             char(2),                -- ISO 3166-1 alpha-2
    country_raw         text,
    city                text,
    services_raw        text,
    services            text[] NOT NULL DEFAULT '{}',   -- taxonomy category codes
    service_phrases     text[] NOT NULL DEFAULT '{}',   -- the cell split into phrases
    industries_raw      text,
    industries          text[] NOT NULL DEFAULT '{}',   -- normalised (lower-case) industries
    languages_raw       text,
    languages           text[] NOT NULL DEFAULT '{}',   -- ISO 639-1
    certifications_raw  text,
    certifications      text[] NOT NULL DEFAULT '{}',   -- canonical codes, e.g. ISO27001, SOC2
    employees_raw       text,
    employees_min       integer,
    employees_max       integer,
    founded_raw         text,
    founded             integer,
    rate_raw            text,
    rate_min            numeric(12, 2),
    rate_max            numeric(12, 2),
    currency            char(3),                -- ISO 4217
    rating_raw          text,
    rating              numeric(4, 2),          -- 0..5
    delivery_raw        text,
    delivery            text[] NOT NULL DEFAULT '{}',   -- onshore, nearshore, offshore, remote, onsite...
    email               text,
    phone               text,
    description         text,
    expertise           text,
    data_security       text,
    extra               jsonb NOT NULL DEFAULT '{}',    -- unrecognised columns: header -> cell
    content_hash        text NOT NULL,          -- hash of the normalised record: unchanged detection

    -- Computed classification (classify), and the manual override (tag set)
    -- that wins over it; effective_type is what everything else reads.
    computed_type       text NOT NULL DEFAULT 'UNCLASSIFIED'
                        CHECK (computed_type IN ('BPO', 'KPO', 'HYBRID', 'UNCLASSIFIED')),
    confidence          real NOT NULL DEFAULT 0 CHECK (confidence >= 0 AND confidence <= 1),
    tag_evidence        text NOT NULL DEFAULT '',     -- compact evidence, decoded on read
                                                      -- (docs/classification.md)
    unknown_phrases     text[] NOT NULL DEFAULT '{}',
    manual_type         text CHECK (manual_type IN ('BPO', 'KPO', 'HYBRID', 'UNCLASSIFIED')),
    manual_reason       text,
    manual_at           timestamptz,
    effective_type      text GENERATED ALWAYS AS (COALESCE(manual_type, computed_type)) STORED,
    tagged_at           timestamptz,

    -- Batch ids without a foreign key: only the importer writes them, in the
    -- batch's own transaction, and batches are never deleted; a checked FK
    -- here cost a lookup per row per column on million-row imports.
    first_batch_id      bigint,
    last_batch_id       bigint,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (manual_type IS NULL OR manual_reason IS NOT NULL)
);
CREATE INDEX vendors_type_idx ON vendors (effective_type);
CREATE INDEX vendors_country_idx ON vendors (country);
CREATE INDEX vendors_rating_idx ON vendors (rating DESC NULLS LAST, name, id);
CREATE INDEX vendors_name_key_idx ON vendors (name_key);
CREATE INDEX vendors_services_gin ON vendors USING gin (services);
CREATE INDEX vendors_certifications_gin ON vendors USING gin (certifications);
CREATE INDEX vendors_languages_gin ON vendors USING gin (languages);
CREATE INDEX vendors_industries_gin ON vendors USING gin (industries);

-- Identity (import): a catalog row names an existing vendor by, in order,
-- its source-scoped id (vendor_sources.source_row_id), its website host
-- (vendors.website_host) or its name key plus country; these indexes make
-- each lookup one probe. (Was a vendor_keys table: the same rules without
-- writing 2-3 extra key rows per vendor on every import.)
CREATE INDEX vendors_website_host_idx ON vendors (website_host);
CREATE INDEX vendors_identity_name_idx ON vendors (name_key, (coalesce(country, '')));

-- Provenance: which sources a vendor came from, with the source's own id.
CREATE TABLE vendor_sources (
    vendor_id      bigint NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    source_id      integer NOT NULL REFERENCES sources(id),
    source_row_id  text,
    first_batch_id bigint,                -- import_batches(id); see vendors
    last_batch_id  bigint,
    PRIMARY KEY (vendor_id, source_id)
);
CREATE INDEX vendor_sources_source_idx ON vendor_sources (source_id, source_row_id);

-- Rows rejected by `import --on-error skip`, with where and why.
CREATE TABLE import_rejects (
    id        bigserial PRIMARY KEY,
    batch_id  bigint NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    line      integer NOT NULL,
    col       integer NOT NULL,
    reason    text NOT NULL,
    raw       text
);
CREATE INDEX import_rejects_batch_idx ON import_rejects (batch_id);

-- Saved shortlists: a frozen copy of the need and of what match computed,
-- so later catalog changes never alter them.
CREATE TABLE shortlists (
    id                     serial PRIMARY KEY,
    name                   text NOT NULL UNIQUE,
    need                   jsonb NOT NULL,
    process_type           text NOT NULL CHECK (process_type IN ('BPO', 'KPO', 'ANY')),
    process_type_inferred  boolean NOT NULL,
    type_reason            text,
    weights                jsonb NOT NULL,
    catalog                jsonb NOT NULL DEFAULT '[]',   -- import batches the catalog held
    document               jsonb NOT NULL,                -- the full match result as printed
    created_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shortlist_entries (
    shortlist_id  integer NOT NULL REFERENCES shortlists(id) ON DELETE CASCADE,
    rank          integer NOT NULL,
    vendor_id     bigint,                     -- no FK: the shortlist outlives the vendor
    name          text NOT NULL,
    process_type  text NOT NULL,
    score         numeric(6, 2) NOT NULL,
    breakdown     jsonb NOT NULL,
    reasons       jsonb NOT NULL,
    vendor        jsonb NOT NULL,             -- snapshot of the vendor as matched
    PRIMARY KEY (shortlist_id, rank)
);

CREATE TABLE shortlist_excluded (
    shortlist_id  integer NOT NULL REFERENCES shortlists(id) ON DELETE CASCADE,
    position      integer NOT NULL,
    vendor_id     bigint,
    name          text NOT NULL,
    reasons       jsonb NOT NULL,
    PRIMARY KEY (shortlist_id, position)
);
