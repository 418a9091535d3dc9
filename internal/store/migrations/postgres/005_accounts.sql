-- API tokens get a name, an expiry and a revocation, all in Unix seconds;
-- NULL: never expires / not revoked (tokens made before this migration
-- keep working until revoked).
ALTER TABLE tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN revoked_at BIGINT;
CREATE INDEX tokens_user ON tokens(user_id);

-- The audit log refuses TRUNCATE too (row triggers do not fire on it).
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
