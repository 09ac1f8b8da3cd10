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
  `
  -- Detection. The anomaly score of every (host, unit) minute that had entries or a rate score: the
  -- lookout_anomaly_score series.
  CREATE TABLE anomaly_scores (
    series_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    score REAL NOT NULL,
    entry_score REAL NOT NULL,
    count_score REAL NOT NULL,
    model_version INTEGER,
    PRIMARY KEY (series_id, minute)
  ) WITHOUT ROWID;

  -- Anomalous minutes of one series merged into an event; JSON columns hold what the API shows.
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    start_us INTEGER NOT NULL,
    end_us INTEGER NOT NULL,
    score REAL NOT NULL,
    -- JSON array of reasons, most frequent first.
    reasons TEXT NOT NULL,
    -- JSON array of {id, template, count}.
    templates TEXT NOT NULL,
    -- JSON array of {timeUs, message}.
    samples TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    -- open while it may still grow, closed once its gap has passed.
    status TEXT NOT NULL DEFAULT 'open',
    acknowledged_ms INTEGER,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  CREATE INDEX events_by_start ON events (start_us);

  -- What on-call said: acknowledge an event, or mark a pattern normal. A "normal" rule's scope is a
  -- template on one (host, unit) when host and unit are set, or the template everywhere when not.
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    event_id INTEGER,
    action TEXT NOT NULL,
    template_id INTEGER,
    host TEXT,
    unit TEXT,
    note TEXT,
    created_ms INTEGER NOT NULL,
    reverted_ms INTEGER
  );

  ALTER TABLE entries ADD COLUMN score REAL;
  `,
  `
  -- Model snapshots (JSON), so a restarted backend scores as it did; one row per model.
  CREATE TABLE model_snapshots (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    saved_ms INTEGER NOT NULL,
    data TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
