-- Orleans 10.4.2 ADO.NET clustering and grain storage for PostgreSQL 15.
--
-- Idempotent: every statement can run again on a database that already has it
-- (CREATE ... IF NOT EXISTS, CREATE OR REPLACE FUNCTION, upserted query rows).
-- Applied by CliProxy.Silo.Storage.PostgresSchema inside one transaction under an advisory lock.
--
-- The query texts are the contract read by Microsoft.Orleans.Clustering.AdoNet and
-- Microsoft.Orleans.Persistence.AdoNet (their own scripts define the same keys):
-- parameters are @Name, result columns are aliased with the exact PascalCase names Orleans reads.

------------------------------------------------------------------------------------------------
-- The query table both providers read with: SELECT QueryKey, QueryText FROM OrleansQuery
------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  text NOT NULL PRIMARY KEY,
    querytext text NOT NULL
);

------------------------------------------------------------------------------------------------
-- Membership (clustering)
------------------------------------------------------------------------------------------------

-- One row per cluster (Orleans' DeploymentId = ClusterOptions.ClusterId): the table version
-- that every membership write checks and bumps.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Inserts a member row and bumps the table version, atomically, only if the version is still
-- expected_version. The version row is locked first, so concurrent writers are serialised and
-- a writer holding a stale version gets false.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id AND version = p_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name,
         status, proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, coalesce(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;
    RETURN true;
END
$$;

-- Updates a member's status, suspicions and liveness and bumps the table version, atomically,
-- only if the version is still expected_version and the member exists.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id AND version = p_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
    SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
    WHERE deployment_id = p_deployment_id
      AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;
    RETURN true;
END
$$;

------------------------------------------------------------------------------------------------
-- Grain storage
------------------------------------------------------------------------------------------------

-- One row per (service, state name, grain id). Orleans' key mapping: Guid keys fill n0/n1,
-- integer keys n1, string keys put the whole string in grain_id_extension (n0 = n1 = 0).
-- grain_id_extension is NULL when a Guid/integer key has no extension; NULLS NOT DISTINCT keeps
-- such rows unique too (PostgreSQL 15+).
-- payload holds the serializer's bytes as readable json (NULL after a clear); the queries
-- convert to and from Orleans' bytea PayloadBinary parameter and column.
CREATE TABLE IF NOT EXISTS orleans_storage
(
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    payload            json        NULL,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_storage_key UNIQUE NULLS NOT DISTINCT
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

------------------------------------------------------------------------------------------------
-- Query rows
------------------------------------------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES

-- 1 row x 1 bool: true when this call created the cluster's version row.
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created";
'),

-- Always at least one row: the version (0 when the cluster has no version row yet) plus one row
-- per member; member columns are NULL (StartTime NULL = no member) for an empty cluster.
('MembershipReadAllKey', '
SELECT
    coalesce(v.version, 0) AS "Version",
    m.address              AS "Address",
    m.port                 AS "Port",
    m.generation           AS "Generation",
    m.silo_name            AS "SiloName",
    m.host_name            AS "HostName",
    m.status               AS "Status",
    m.proxy_port           AS "ProxyPort",
    m.suspect_times        AS "SuspectTimes",
    m.start_time           AS "StartTime",
    m.i_am_alive_time      AS "IAmAliveTime"
FROM (SELECT @DeploymentId::text AS deployment_id) d
LEFT JOIN orleans_membership_version v ON v.deployment_id = d.deployment_id
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id;
'),

-- Same shape as MembershipReadAllKey, only the given silo; still one row when it is absent.
('MembershipReadRowKey', '
SELECT
    coalesce(v.version, 0) AS "Version",
    m.address              AS "Address",
    m.port                 AS "Port",
    m.generation           AS "Generation",
    m.silo_name            AS "SiloName",
    m.host_name            AS "HostName",
    m.status               AS "Status",
    m.proxy_port           AS "ProxyPort",
    m.suspect_times        AS "SuspectTimes",
    m.start_time           AS "StartTime",
    m.i_am_alive_time      AS "IAmAliveTime"
FROM (SELECT @DeploymentId::text AS deployment_id) d
LEFT JOIN orleans_membership_version v ON v.deployment_id = d.deployment_id
LEFT JOIN orleans_membership m
    ON m.deployment_id = v.deployment_id
   AND m.address = @Address AND m.port = @Port AND m.generation = @Generation;
'),

('InsertMembershipKey', '
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Inserted";
'),

('UpdateMembershipKey', '
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Updated";
'),

-- Heartbeat: no version check, no result.
('UpdateIAmAlivetimeKey', '
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation;
'),

-- Removes the cluster: its version row and (by ON DELETE CASCADE) its member rows.
('DeleteMembershipTableEntriesKey', '
DELETE FROM orleans_membership_version
WHERE deployment_id = @DeploymentId;
'),

-- Fallback cleanup: Dead (6) members not alive since the cutoff.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime;
'),

-- Preferred cleanup (optional key): Orleans picks each Dead member older than the cutoff and
-- deletes it only if the values it read are still the stored ones (compare-and-delete).
('CleanupDefunctSiloEntryKey', '
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '''') = coalesce(@SuspectTimes, '''');
'),

-- Gateways of the Active (@Status = 3) members.
('GatewaysQueryKey', '
SELECT
    address    AS "Address",
    proxy_port AS "ProxyPort",
    generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
'),

-- 0 or 1 row. A NULL payload (cleared state) still returns the row, so the version is the ETag.
('ReadFromStorageKey', '
SELECT
    convert_to(payload::text, ''UTF8'') AS "PayloadBinary",
    version                             AS "Version"
FROM orleans_storage
WHERE service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND (grain_id_extension = @GrainIdExtensionString
       OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL));
'),

-- Exactly one row. With an ETag (@GrainStateVersion): update only that version and return the
-- new one, else NULL (conflict). Without an ETag: insert version 1, or NULL when the row already
-- exists (conflict). Orleans reports a conflict when the value is NULL or equals the sent ETag.
('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleans_storage
    SET payload = convert_from(@PayloadBinary, ''UTF8'')::json,
        version = version + 1,
        modified_on = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND service_id = @ServiceId
      AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension = @GrainIdExtensionString
           OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans_storage
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
           convert_from(@PayloadBinary, ''UTF8'')::json, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_storage_key DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1)
    AS "NewGrainStateVersion";
'),

-- Keeps the row with a NULL payload and a bumped version (the new ETag). Exactly one row: the
-- new version, or NULL when the row is not at @GrainStateVersion (conflict). Orleans reads the
-- state first and skips this query when there is no record and no ETag.
('ClearStorageKey', '
WITH cleared AS (
    UPDATE orleans_storage
    SET payload = NULL,
        version = version + 1,
        modified_on = now()
    WHERE service_id = @ServiceId
      AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension = @GrainIdExtensionString
           OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion";
'),

-- Like ClearStorageKey but removes the row (DeleteStateOnClear = true). Exactly one row:
-- version + 1 of the deleted row, or NULL on a conflict.
('DeleteStorageKey', '
WITH deleted AS (
    DELETE FROM orleans_storage
    WHERE service_id = @ServiceId
      AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension = @GrainIdExtensionString
           OR (grain_id_extension IS NULL AND @GrainIdExtensionString IS NULL))
      AND version = @GrainStateVersion
    RETURNING version + 1 AS version
)
SELECT (SELECT version FROM deleted) AS "NewGrainStateVersion";
')

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
