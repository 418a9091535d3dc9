-- Dates are DATE on PostgreSQL, ISO text (YYYY-MM-DD) on SQLite, so they
-- sort and compare as dates on both.
CREATE TABLE units (
    id                  {{.ID}},
    code                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    parent_id           {{.Int}} REFERENCES units(id),
    kind                TEXT NOT NULL,
    ownership           TEXT NOT NULL DEFAULT '',
    enterprise_tax_code TEXT NOT NULL DEFAULT '',
    founded_on          {{.Date}},
    decision_no         TEXT NOT NULL DEFAULT '',
    method              TEXT NOT NULL DEFAULT 'standard',
    dissolved_on        {{.Date}},
    path                TEXT{{.ByteOrder}} NOT NULL DEFAULT ''
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);
CREATE INDEX units_founded ON units(founded_on) WHERE kind = 'grassroots';

CREATE TABLE enterprises (
    tax_code  TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    ownership TEXT NOT NULL,
    employees {{.Int}} NOT NULL,
    address   TEXT NOT NULL DEFAULT '',
    area      TEXT NOT NULL DEFAULT '',
    unit_id   {{.Int}} NOT NULL REFERENCES units(id),
    source    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enterprises_unit ON enterprises(unit_id);

CREATE TABLE members (
    id                  {{.ID}},
    national_id         TEXT NOT NULL UNIQUE,
    id_type             TEXT NOT NULL DEFAULT 'cccd',
    full_name           TEXT NOT NULL,
    name_folded         TEXT NOT NULL DEFAULT '',
    date_of_birth       {{.Date}} NOT NULL,
    gender              TEXT NOT NULL DEFAULT '',
    unit_id             {{.Int}} NOT NULL REFERENCES units(id),
    current_unit_id     {{.Int}} NOT NULL REFERENCES units(id),
    joined_on           {{.Date}} NOT NULL,
    joined_how          TEXT NOT NULL DEFAULT 'admitted',
    left_on             {{.Date}},
    party_introduced_on {{.Date}},
    card_no             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX members_current_unit ON members(current_unit_id);

CREATE TABLE transfers (
    member_id  {{.Int}} NOT NULL REFERENCES members(id),
    day        {{.Date}} NOT NULL,
    to_unit_id {{.Int}} NOT NULL REFERENCES units(id),
    PRIMARY KEY (member_id, day)
);

CREATE TABLE plans (
    id        {{.ID}},
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    unit_id   {{.Int}} NOT NULL REFERENCES units(id),
    start_on  {{.Date}} NOT NULL,
    end_on    {{.Date}} NOT NULL,
    threshold {{.Int}} NOT NULL DEFAULT 25
);

CREATE TABLE targets (
    plan_id   {{.Int}} NOT NULL REFERENCES plans(id),
    unit_id   {{.Int}} NOT NULL REFERENCES units(id),
    indicator TEXT NOT NULL,
    target    {{.Int}} NOT NULL,
    PRIMARY KEY (plan_id, unit_id, indicator)
);

CREATE TABLE campaigns (
    id         {{.ID}},
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    plan_id    {{.Int}} NOT NULL REFERENCES plans(id),
    start_on   {{.Date}} NOT NULL,
    end_on     {{.Date}} NOT NULL,
    class_name TEXT NOT NULL DEFAULT ''
);

-- Daily counters of a unit's whole subtree (see engine.Counters), kept up to
-- date by every write, so that a report reads a few hundred rows per unit
-- instead of every member.
CREATE TABLE unit_day (
    unit_id  {{.Int}} NOT NULL,
    day      {{.Date}} NOT NULL,
    admitted {{.Int}} NOT NULL DEFAULT 0,
    net      {{.Int}} NOT NULL DEFAULT 0,
    party    {{.Int}} NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, day)
){{.WithoutRowID}};

CREATE TABLE users (
    id            {{.ID}},
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_id       {{.Int}} NOT NULL REFERENCES units(id),
    created_at    {{.Time}} NOT NULL
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    {{.Int}} NOT NULL REFERENCES users(id),
    created_at {{.Time}} NOT NULL
);

CREATE TABLE audit_log (
    id      {{.ID}},
    at      {{.Time}} NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
