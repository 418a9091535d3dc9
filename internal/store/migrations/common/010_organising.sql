-- The organising pipeline of the gap list and self-service join requests.
-- Dates are DATE (ISO text on SQLite), times RFC 3339 text.
-- These tables hold a row per enterprise worked or request made
-- (thousands, not millions), and are read by enterprise, by queue and by
-- day through the indexes below.

-- pipeline is each worked enterprise's current stage, kept by every stage
-- event, so the board and the report read one row per enterprise.
CREATE TABLE pipeline (
    tax_code      TEXT PRIMARY KEY REFERENCES enterprises(tax_code),
    stage         TEXT NOT NULL,
    since         {{.Date}} NOT NULL,
    pause_reason  TEXT NOT NULL DEFAULT '',
    -- first_contact: the first day the enterprise reached `contacted` or
    -- further; last_contact: the latest outreach or stage event.
    first_contact {{.Date}},
    last_contact  {{.Date}}
);
CREATE INDEX pipeline_stage ON pipeline(stage);

CREATE TABLE pipeline_events (
    id       {{.ID}},
    tax_code TEXT NOT NULL REFERENCES enterprises(tax_code),
    on_day   {{.Date}} NOT NULL,
    stage    TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    actor    TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL
);
CREATE INDEX pipeline_events_ent ON pipeline_events(tax_code, on_day, id);

CREATE TABLE pipeline_organisers (
    tax_code TEXT NOT NULL REFERENCES enterprises(tax_code),
    user_id  {{.Int}} NOT NULL REFERENCES users(id),
    PRIMARY KEY (tax_code, user_id)
);
CREATE INDEX pipeline_organisers_user ON pipeline_organisers(user_id);

CREATE TABLE outreach_log (
    id        {{.ID}},
    tax_code  TEXT NOT NULL REFERENCES enterprises(tax_code),
    on_day    {{.Date}} NOT NULL,
    channel   TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    next_on   {{.Date}},
    actor     TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX outreach_log_ent ON outreach_log(tax_code, on_day, id);

CREATE TABLE founding_group (
    id        {{.ID}},
    tax_code  TEXT NOT NULL REFERENCES enterprises(tax_code),
    full_name TEXT NOT NULL,
    position  TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX founding_group_ent ON founding_group(tax_code, id);

-- join_links: one live random token per open union or gap enterprise;
-- rotating revokes it and makes another.
CREATE TABLE join_links (
    token      TEXT PRIMARY KEY,
    unit_id    {{.Int}} REFERENCES units(id),
    tax_code   TEXT REFERENCES enterprises(tax_code),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX join_links_unit ON join_links(unit_id) WHERE revoked_at IS NULL AND unit_id IS NOT NULL;
CREATE UNIQUE INDEX join_links_ent ON join_links(tax_code) WHERE revoked_at IS NULL AND tax_code IS NOT NULL;

-- join_requests: unit_id is the union asked (or NULL at an enterprise with
-- no union: tax_code), queue_unit_id the unit whose officers decide (the
-- union, or the enterprise's responsible upper union).
CREATE TABLE join_requests (
    id            {{.ID}},
    unit_id       {{.Int}} REFERENCES units(id),
    tax_code      TEXT,
    queue_unit_id {{.Int}} NOT NULL REFERENCES units(id),
    full_name     TEXT NOT NULL,
    national_id   TEXT NOT NULL,
    id_type       TEXT NOT NULL,
    date_of_birth {{.Date}} NOT NULL,
    gender        TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    workplace     TEXT NOT NULL DEFAULT '',
    consent_at    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_on    {{.Date}} NOT NULL,
    due_on        {{.Date}} NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    decided_on    {{.Date}},
    decided_by    TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT '',
    member_id     {{.Int}} REFERENCES members(id)
);
CREATE INDEX join_requests_queue ON join_requests(queue_unit_id, status, id);
CREATE INDEX join_requests_person ON join_requests(national_id, created_at);
CREATE INDEX join_requests_ent ON join_requests(tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX join_requests_created ON join_requests(created_on);
