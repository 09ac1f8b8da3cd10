/**
 * Versioned schema: each entry upgrades version i to i+1 and is applied once, in order, in a
 * transaction, with the version kept in SQLite's `user_version`. Never edit a released step: add one.
 */
export const migrations: string[] = [
  `
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    resume_from TEXT,
    entries_ingested INTEGER NOT NULL DEFAULT 0,
    lines_rejected INTEGER NOT NULL DEFAULT 0,
    last_entry_us INTEGER,
    last_write_ms INTEGER,
    lag_seconds REAL,
    last_error TEXT
  );

  -- One row per (host, unit): the unit of every count series and model.
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    unit TEXT NOT NULL,
    UNIQUE (host, unit)
  );

  -- Entries per minute per series and priority (-1: the entry had no PRIORITY).
  CREATE TABLE entry_counts (
    series_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (series_id, minute, priority)
  ) WITHOUT ROWID;

  -- Recent raw entries for drill-down and training; bounded by count and age (see retention.ts).
  CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    time_us INTEGER NOT NULL,
    series_id INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    priority INTEGER,
    pid INTEGER,
    flags INTEGER NOT NULL,
    message TEXT NOT NULL,
    extra TEXT
  );
  -- By time only: entries arrive nearly in time order, so this index grows at its end (cheap), where
  -- a (series, time) index would be written all over; drill-down windows are short and filter series.
  CREATE INDEX entries_by_time ON entries (time_us);
  `,
  `
  -- Template mining. A template's row is written in the same transaction as the entries that made or
  -- changed it, so the miner restored from these rows never reuses or forgets an id that an entry has.
  CREATE TABLE templates (
    id INTEGER PRIMARY KEY,
    template TEXT NOT NULL,
    -- What the miner needs to rebuild the template (tokens, token kinds, tree path), as JSON.
    state TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL,
    -- Forgotten by the miner to stay within its limit: kept so the id is never reused.
    evicted INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE miner_state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- Entries per minute per series and template.
  CREATE TABLE template_counts (
    series_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    template_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (series_id, minute, template_id)
  ) WITHOUT ROWID;

  ALTER TABLE entries ADD COLUMN template_id INTEGER;
  `,
];
