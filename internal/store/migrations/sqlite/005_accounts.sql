-- API tokens get a name, an expiry and a revocation, all in Unix seconds;
-- NULL: never expires / not revoked (tokens made before this migration
-- keep working until revoked).
ALTER TABLE tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE tokens ADD COLUMN revoked_at INTEGER;
CREATE INDEX tokens_user ON tokens(user_id);
