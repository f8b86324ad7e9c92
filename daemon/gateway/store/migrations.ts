import type Database from 'better-sqlite3';

/**
 * Versioned schema: migration N brings user_version N-1 to N, in one transaction. Append new
 * migrations; never edit a released one.
 */
const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  // 1: request log, bodies, hourly rollups.
  (db) =>
    db.exec(`
      -- Repeated strings (models, providers, key aliases, tags) are stored once; rows hold ids.
      CREATE TABLE labels (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
      INSERT INTO labels (id, value) VALUES (0, '');

      CREATE TABLE requests (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ts INTEGER NOT NULL,
        endpoint INTEGER NOT NULL REFERENCES labels(id),
        requested_model INTEGER NOT NULL REFERENCES labels(id),
        served_model INTEGER NOT NULL REFERENCES labels(id),
        provider INTEGER NOT NULL REFERENCES labels(id),
        key_alias INTEGER NOT NULL REFERENCES labels(id),
        client_tag INTEGER NOT NULL REFERENCES labels(id),
        status INTEGER NOT NULL,
        error_class INTEGER NOT NULL REFERENCES labels(id),
        error_message TEXT,
        stream INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        ttfb_ms REAL,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        cached_tokens INTEGER,
        cache_write_tokens INTEGER,
        reasoning_tokens INTEGER,
        cost_usd REAL,
        cost_estimated INTEGER NOT NULL,
        cache INTEGER NOT NULL REFERENCES labels(id),
        attempts INTEGER NOT NULL,
        attempt_log TEXT
      );
      -- Few indexes on purpose: each costs every logged call an insert. Time ranges and the model
      -- a caller asked for are the filters that need one; the rest scan newest-first with a LIMIT.
      CREATE INDEX requests_ts ON requests (ts);
      CREATE INDEX requests_requested_model ON requests (requested_model, ts);

      CREATE TABLE bodies (
        request_seq INTEGER PRIMARY KEY REFERENCES requests(seq) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        request BLOB,
        response BLOB,
        request_truncated INTEGER NOT NULL,
        response_truncated INTEGER NOT NULL
      );
      CREATE INDEX bodies_ts ON bodies (ts);

      -- Stats read these, never the raw rows (except for the partial hours at a range's edges).
      CREATE TABLE rollup_hourly (
        hour INTEGER NOT NULL,
        model INTEGER NOT NULL REFERENCES labels(id),
        provider INTEGER NOT NULL REFERENCES labels(id),
        requests INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        unpriced INTEGER NOT NULL,
        estimated INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cached_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        latency_sum_ms REAL NOT NULL,
        latency_histogram BLOB NOT NULL,
        PRIMARY KEY (hour, model, provider)
      ) WITHOUT ROWID;

      CREATE VIEW requests_view AS
        SELECT r.seq, r.id, r.ts, e.value AS endpoint, rm.value AS requested_model, sm.value AS served_model,
               p.value AS provider, k.value AS key_alias, t.value AS client_tag, r.status, ec.value AS error_class,
               r.error_message, r.stream, r.latency_ms, r.ttfb_ms, r.prompt_tokens, r.completion_tokens,
               r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd, r.cost_estimated,
               c.value AS cache, r.attempts, r.attempt_log
        FROM requests r
        JOIN labels e ON e.id = r.endpoint JOIN labels rm ON rm.id = r.requested_model
        JOIN labels sm ON sm.id = r.served_model JOIN labels p ON p.id = r.provider
        JOIN labels k ON k.id = r.key_alias JOIN labels t ON t.id = r.client_tag
        JOIN labels ec ON ec.id = r.error_class JOIN labels c ON c.id = r.cache;
    `),
  // 2: call-site index (message hashes) and the exact response cache.
  (db) =>
    db.exec(`
      -- daemon/shared/message-hash.ts: links a call site in the editor to the requests it made.
      -- No foreign key and no index on request_seq: both would double the cost of every insert.
      -- Expired entries are removed in hash-range slices by store/retention.ts instead.
      CREATE TABLE message_hashes (
        hash INTEGER NOT NULL, -- hashKey(): the first 52 bits of the message hash
        request_seq INTEGER NOT NULL,
        PRIMARY KEY (hash, request_seq)
      ) WITHOUT ROWID;
      CREATE INDEX requests_client_tag ON requests (client_tag, ts);

      CREATE TABLE cache_entries (
        key TEXT PRIMARY KEY,
        created INTEGER NOT NULL,
        expires INTEGER NOT NULL,
        status INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        body BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX cache_entries_created ON cache_entries (created);
    `),
  // 3: where each call's price and usage came from (issue 7: every call priced when anything
  // identifies its price; issue 13: implausible usage is replaced by the local estimate).
  // Label ids, like the other text columns; no REFERENCES: SQLite cannot add one with a default.
  (db) =>
    db.exec(`
      ALTER TABLE requests ADD COLUMN price_source INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE requests ADD COLUMN usage_source INTEGER NOT NULL DEFAULT 0;
      DROP VIEW requests_view;
      CREATE VIEW requests_view AS
        SELECT r.seq, r.id, r.ts, e.value AS endpoint, rm.value AS requested_model, sm.value AS served_model,
               p.value AS provider, k.value AS key_alias, t.value AS client_tag, r.status, ec.value AS error_class,
               r.error_message, r.stream, r.latency_ms, r.ttfb_ms, r.prompt_tokens, r.completion_tokens,
               r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd, r.cost_estimated,
               c.value AS cache, r.attempts, r.attempt_log, ps.value AS price_source, us.value AS usage_source
        FROM requests r
        JOIN labels e ON e.id = r.endpoint JOIN labels rm ON rm.id = r.requested_model
        JOIN labels sm ON sm.id = r.served_model JOIN labels p ON p.id = r.provider
        JOIN labels k ON k.id = r.key_alias JOIN labels t ON t.id = r.client_tag
        JOIN labels ec ON ec.id = r.error_class JOIN labels c ON c.id = r.cache
        JOIN labels ps ON ps.id = r.price_source JOIN labels us ON us.id = r.usage_source;
    `),
  // 4: caching that pays (issue 8). Entries keyed on the canonical request, in the form they were
  // received (JSON or SSE), with what the original cost and took; the old entries were keyed on
  // raw bytes and are dropped. Each row says what a hit or a coalesced call saved and which call
  // answered it; rollups count hits and savings so stats over any range stay cheap.
  (db) =>
    db.exec(`
      DROP TABLE cache_entries;
      CREATE TABLE cache_entries (
        key TEXT PRIMARY KEY,
        created INTEGER NOT NULL,
        expires INTEGER NOT NULL,
        form TEXT NOT NULL CHECK (form IN ('json', 'sse')),
        content_type TEXT NOT NULL,
        body BLOB NOT NULL,
        endpoint TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        cost_usd REAL,
        latency_ms REAL NOT NULL,
        request_id TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX cache_entries_created ON cache_entries (created);

      ALTER TABLE requests ADD COLUMN saved_usd REAL;
      ALTER TABLE requests ADD COLUMN saved_ms REAL;
      ALTER TABLE requests ADD COLUMN answered_by TEXT;
      ALTER TABLE rollup_hourly ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollup_hourly ADD COLUMN coalesced INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollup_hourly ADD COLUMN cache_lookups INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollup_hourly ADD COLUMN saved_usd REAL NOT NULL DEFAULT 0;
      ALTER TABLE rollup_hourly ADD COLUMN saved_ms REAL NOT NULL DEFAULT 0;
      DROP VIEW requests_view;
      CREATE VIEW requests_view AS
        SELECT r.seq, r.id, r.ts, e.value AS endpoint, rm.value AS requested_model, sm.value AS served_model,
               p.value AS provider, k.value AS key_alias, t.value AS client_tag, r.status, ec.value AS error_class,
               r.error_message, r.stream, r.latency_ms, r.ttfb_ms, r.prompt_tokens, r.completion_tokens,
               r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd, r.cost_estimated,
               c.value AS cache, r.attempts, r.attempt_log, ps.value AS price_source, us.value AS usage_source,
               r.saved_usd, r.saved_ms, r.answered_by
        FROM requests r
        JOIN labels e ON e.id = r.endpoint JOIN labels rm ON rm.id = r.requested_model
        JOIN labels sm ON sm.id = r.served_model JOIN labels p ON p.id = r.provider
        JOIN labels k ON k.id = r.key_alias JOIN labels t ON t.id = r.client_tag
        JOIN labels ec ON ec.id = r.error_class JOIN labels c ON c.id = r.cache
        JOIN labels ps ON ps.id = r.price_source JOIN labels us ON us.id = r.usage_source;
    `),
  // 5: the semantic cache (issue 8): each stored question of a scope with its vector, pointing at
  // the exact entry that holds its answer, and gone with it; the similarity of each semantic hit.
  (db) =>
    db.exec(`
      CREATE TABLE semantic_entries (
        entry_key TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        embedder TEXT NOT NULL,
        query TEXT NOT NULL,
        vector BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX semantic_entries_scope ON semantic_entries (scope, embedder);
      CREATE TRIGGER cache_entries_forget_question AFTER DELETE ON cache_entries
        BEGIN DELETE FROM semantic_entries WHERE entry_key = old.key; END;

      ALTER TABLE requests ADD COLUMN cache_similarity REAL;
      ALTER TABLE rollup_hourly ADD COLUMN semantic_hits INTEGER NOT NULL DEFAULT 0;
      DROP VIEW requests_view;
      CREATE VIEW requests_view AS
        SELECT r.seq, r.id, r.ts, e.value AS endpoint, rm.value AS requested_model, sm.value AS served_model,
               p.value AS provider, k.value AS key_alias, t.value AS client_tag, r.status, ec.value AS error_class,
               r.error_message, r.stream, r.latency_ms, r.ttfb_ms, r.prompt_tokens, r.completion_tokens,
               r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd, r.cost_estimated,
               c.value AS cache, r.attempts, r.attempt_log, ps.value AS price_source, us.value AS usage_source,
               r.saved_usd, r.saved_ms, r.answered_by, r.cache_similarity
        FROM requests r
        JOIN labels e ON e.id = r.endpoint JOIN labels rm ON rm.id = r.requested_model
        JOIN labels sm ON sm.id = r.served_model JOIN labels p ON p.id = r.provider
        JOIN labels k ON k.id = r.key_alias JOIN labels t ON t.id = r.client_tag
        JOIN labels ec ON ec.id = r.error_class JOIN labels c ON c.id = r.cache
        JOIN labels ps ON ps.id = r.price_source JOIN labels us ON us.id = r.usage_source;
    `),
  // 6: routing by complexity (issue 9): each routed call's tier and reason, and what it would have
  // cost on the complex tier's model; rollups sum both so stats show what routing saved.
  (db) =>
    db.exec(`
      ALTER TABLE requests ADD COLUMN route_tier INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE requests ADD COLUMN route_reason TEXT;
      ALTER TABLE requests ADD COLUMN route_baseline_usd REAL;
      ALTER TABLE rollup_hourly ADD COLUMN routed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollup_hourly ADD COLUMN route_cost_usd REAL NOT NULL DEFAULT 0;
      ALTER TABLE rollup_hourly ADD COLUMN route_baseline_usd REAL NOT NULL DEFAULT 0;
      DROP VIEW requests_view;
      CREATE VIEW requests_view AS
        SELECT r.seq, r.id, r.ts, e.value AS endpoint, rm.value AS requested_model, sm.value AS served_model,
               p.value AS provider, k.value AS key_alias, t.value AS client_tag, r.status, ec.value AS error_class,
               r.error_message, r.stream, r.latency_ms, r.ttfb_ms, r.prompt_tokens, r.completion_tokens,
               r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd, r.cost_estimated,
               c.value AS cache, r.attempts, r.attempt_log, ps.value AS price_source, us.value AS usage_source,
               r.saved_usd, r.saved_ms, r.answered_by, r.cache_similarity, rt.value AS route_tier, r.route_reason,
               r.route_baseline_usd
        FROM requests r
        JOIN labels e ON e.id = r.endpoint JOIN labels rm ON rm.id = r.requested_model
        JOIN labels sm ON sm.id = r.served_model JOIN labels p ON p.id = r.provider
        JOIN labels k ON k.id = r.key_alias JOIN labels t ON t.id = r.client_tag
        JOIN labels ec ON ec.id = r.error_class JOIN labels c ON c.id = r.cache
        JOIN labels ps ON ps.id = r.price_source JOIN labels us ON us.id = r.usage_source
        JOIN labels rt ON rt.id = r.route_tier;
    `),
  // 7: API translation (issue 14): the API the provider was called in, beside the caller's
  // (`endpoint`); they differ when a call was translated (an Anthropic SDK served by GPT).
  (db) =>
    db.exec(`
      ALTER TABLE requests ADD COLUMN upstream_endpoint INTEGER NOT NULL DEFAULT 0;
      DROP VIEW requests_view;
      CREATE VIEW requests_view AS
        SELECT r.seq, r.id, r.ts, e.value AS endpoint, rm.value AS requested_model, sm.value AS served_model,
               p.value AS provider, k.value AS key_alias, t.value AS client_tag, r.status, ec.value AS error_class,
               r.error_message, r.stream, r.latency_ms, r.ttfb_ms, r.prompt_tokens, r.completion_tokens,
               r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd, r.cost_estimated,
               c.value AS cache, r.attempts, r.attempt_log, ps.value AS price_source, us.value AS usage_source,
               r.saved_usd, r.saved_ms, r.answered_by, r.cache_similarity, rt.value AS route_tier, r.route_reason,
               r.route_baseline_usd, ue.value AS upstream_endpoint
        FROM requests r
        JOIN labels e ON e.id = r.endpoint JOIN labels rm ON rm.id = r.requested_model
        JOIN labels sm ON sm.id = r.served_model JOIN labels p ON p.id = r.provider
        JOIN labels k ON k.id = r.key_alias JOIN labels t ON t.id = r.client_tag
        JOIN labels ec ON ec.id = r.error_class JOIN labels c ON c.id = r.cache
        JOIN labels ps ON ps.id = r.price_source JOIN labels us ON us.id = r.usage_source
        JOIN labels rt ON rt.id = r.route_tier JOIN labels ue ON ue.id = r.upstream_endpoint;
    `),
  // 8: deferred jobs (issue 10). A job is committed here before its 202 is sent, and every
  // change of state is committed before the step that follows it spends money, so a restart
  // knows what ran. request_id links the log row of the call that answered it; batch_id the
  // provider batch it went in (mode batch).
  (db) =>
    db.exec(`
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        endpoint TEXT NOT NULL,
        model TEXT,
        body TEXT NOT NULL,
        mode TEXT NOT NULL,
        tag TEXT,
        deadline_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER,
        finished_at INTEGER,
        request_id TEXT,
        response_status INTEGER,
        response_body BLOB,
        error TEXT,
        batch_id TEXT,
        -- What the batch discount took off this job's realtime price (null: not run in a batch).
        saved_usd REAL
      );
      CREATE INDEX jobs_runnable ON jobs (status, not_before);
      CREATE INDEX jobs_created ON jobs (created_at);
      CREATE INDEX jobs_batch ON jobs (batch_id);
      -- The request log shows each call's job by this link, leaving the requests table as it is.
      CREATE INDEX jobs_request ON jobs (request_id);
      -- A provider batch Tollgate made of batch-mode jobs. state: preparing (jobs chosen) →
      -- uploaded (input file at the provider) → submitted (provider batch id known) → done.
      -- provider_batch_id is committed before anything else happens to the batch: a restart
      -- polls it again and never submits the jobs a second time.
      CREATE TABLE job_batches (
        id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        state TEXT NOT NULL,
        input_file_id TEXT,
        provider_batch_id TEXT,
        provider_status TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        error TEXT
      );
      CREATE INDEX job_batches_state ON job_batches (state);
    `),
  // 9: what the advisor reads (issue 11), kept as rollups so advice over any range stays cheap.
  // A request's fingerprint (its exact-cache key, 52 bits) and when it last succeeded, so a repeat
  // the cache would have answered is counted as it is written; per (hour, model, provider) those
  // repeats, streamed calls' time to first token, long answers sent unstreamed, calls that met a
  // 429 and calls served by a fallback target; per key, its attempts and those refused with 429.
  (db) =>
    db.exec(`
      CREATE TABLE request_fingerprints (key INTEGER PRIMARY KEY, ts INTEGER NOT NULL);
      CREATE INDEX request_fingerprints_ts ON request_fingerprints (ts);
      CREATE TABLE rollup_advice (
        hour INTEGER NOT NULL,
        model INTEGER NOT NULL REFERENCES labels(id),
        provider INTEGER NOT NULL REFERENCES labels(id),
        duplicates INTEGER NOT NULL,
        duplicate_usd REAL NOT NULL,
        duplicate_ms REAL NOT NULL,
        streams INTEGER NOT NULL,
        ttft_sum_ms REAL NOT NULL,
        ttft_histogram BLOB NOT NULL,
        long_unstreamed INTEGER NOT NULL,
        long_unstreamed_ms REAL NOT NULL,
        rate_limited INTEGER NOT NULL,
        fallbacks INTEGER NOT NULL,
        PRIMARY KEY (hour, model, provider)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_keys (
        hour INTEGER NOT NULL,
        provider INTEGER NOT NULL REFERENCES labels(id),
        key_alias INTEGER NOT NULL REFERENCES labels(id),
        attempts INTEGER NOT NULL,
        rate_limited INTEGER NOT NULL,
        rate_limited_ms REAL NOT NULL,
        PRIMARY KEY (hour, provider, key_alias)
      ) WITHOUT ROWID;
    `),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function runMigrations(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema v${current} is newer than this Tollgate (v${SCHEMA_VERSION}); upgrade Tollgate`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
