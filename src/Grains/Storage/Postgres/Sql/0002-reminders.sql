-- Orleans 10.4.2 ADO.NET reminders (Microsoft.Orleans.Reminders.AdoNet) for PostgreSQL 15.
--
-- Idempotent, like 0001: applied in the same transaction under the same advisory lock.
-- The login sessions' expiry runs on reminders, so they survive the loss of any silo.
--
-- Contract read from the provider: parameters @ServiceId, @GrainId (text, GrainId.ToString()),
-- @ReminderName, @StartTime (timestamptz), @Period (milliseconds; an int or a bigint),
-- @GrainHash / @BeginHash / @EndHash (the uniform hash as a signed int), @Version (int ETag).
-- Rows are read with the columns GrainId, ReminderName, StartTime, Period (int8) and Version.

CREATE TABLE IF NOT EXISTS orleans_reminders
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Every reminder of one grain.
('ReadReminderRowsKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId;
'),

-- The ring range (@BeginHash, @EndHash] when it does not wrap in signed order (begin < end).
('ReadRangeRows1Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
'),

-- The wrapping ring range: above @BeginHash or up to @EndHash.
('ReadRangeRows2Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
'),

-- One reminder, or no row.
('ReadReminderRowKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
'),

-- Inserts or replaces a reminder; one row with its new version (the ETag).
('UpsertReminderRowKey', '
INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash,
    version = orleans_reminders.version + 1
RETURNING version AS "Version";
'),

-- Deletes a reminder only at version @Version; one row: true when it was deleted.
('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);
'),

-- Deletes every reminder of the service.
('DeleteReminderRowsKey', '
DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
')

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
