-- Usage statistics (README "Usage statistics"): the per-request details and the usage grain's state.
--
-- Idempotent like 0001 (CREATE ... IF NOT EXISTS). Written by CliProxy.Grains.Usage.PostgresUsageStore:
-- each batch of records is one transaction that inserts its details and updates the state row.

-- One row per counted upstream attempt (spec management-usage-logs §1.3/§1.6 detail), kept for
-- Usage:DetailRetention (default: for ever). Readable with plain SQL, e.g. tokens per client key today:
--   SELECT api, sum(total_tokens) FROM usage_details
--   WHERE service_id = 'cliproxy' AND requested_at >= date_trunc('day', now()) GROUP BY api;
CREATE TABLE IF NOT EXISTS usage_details
(
    service_id       text        NOT NULL,            -- Cluster:ServiceId
    id               bigint      GENERATED ALWAYS AS IDENTITY, -- arrival order
    dedup            bytea       NOT NULL,            -- XXH128 (16 bytes) of the §1.9 key
    api              text        NOT NULL,            -- client key, or 'METHOD /route' when none
    model            text        NOT NULL,
    requested_at     timestamptz NOT NULL,            -- when the attempt started (microseconds)
    timestamp_text   text        NOT NULL,            -- the same as RFC 3339 text with its offset and nanoseconds, as exported
    source           text        NOT NULL,            -- account, project or file name; upstream keys masked
    auth_index       text        NOT NULL,
    provider         text        NOT NULL,            -- executor id ('' for imported rows)
    failed           boolean     NOT NULL,
    input_tokens     bigint      NOT NULL,
    output_tokens    bigint      NOT NULL,
    reasoning_tokens bigint      NOT NULL,
    cached_tokens    bigint      NOT NULL,
    total_tokens     bigint      NOT NULL,
    latency_ms       bigint      NOT NULL,
    PRIMARY KEY (service_id, id)
);

-- A record equal in every field of the §1.9 key to a stored one is the same record (import de-duplication).
-- The key includes the time, so the index leads with it: records arrive in time order and are added at the
-- index's end instead of at random places (the hash alone), and the same index serves time ranges and the
-- retention's deletes.
CREATE UNIQUE INDEX IF NOT EXISTS usage_details_time ON usage_details (service_id, requested_at, dedup);
-- Per client key (and model): the export reads each API's and model's details in arrival order.
CREATE INDEX IF NOT EXISTS usage_details_api ON usage_details (service_id, api, model, id);

-- The usage grain's state: aggregates and the last batch applied per node, as readable json.
CREATE TABLE IF NOT EXISTS usage_state
(
    service_id  text        NOT NULL,
    grain_key   text        NOT NULL,
    payload     json        NOT NULL,
    version     bigint      NOT NULL,
    modified_on timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_key)
);
