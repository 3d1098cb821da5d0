-- Journal schema v1 (design.md "journal": the last synced state of every path, pending work, sessions).
-- Paths are relative to the pair's roots, '/'-separated, NFC. Times are epoch milliseconds (*_ms).

-- One row per configured pair. A pair whose local root, drive or remote path changed is refused
-- until --resync (incidents: unison #457, nextcloud #1433).
CREATE TABLE pairs (
  name              TEXT    NOT NULL PRIMARY KEY,
  local_root        TEXT    NOT NULL,
  drive_spec        TEXT    NOT NULL,
  remote_path       TEXT    NOT NULL,
  remote_folder_key TEXT,               -- NULL = the drive root
  created_ms        INTEGER NOT NULL
) STRICT;

-- What both sides agreed on after the last successful action on a path (the "base").
CREATE TABLE base (
  pair              TEXT    NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
  path              TEXT    NOT NULL,
  kind              TEXT    NOT NULL CHECK (kind IN ('file', 'folder')),
  local_size_bytes  INTEGER NOT NULL,
  local_mtime_ms    INTEGER NOT NULL,
  local_ino         INTEGER NOT NULL,
  local_sha256      TEXT,               -- hex; NULL for folders or when never hashed
  remote_key        TEXT    NOT NULL,   -- resource key (fileId)
  remote_update_ms  INTEGER NOT NULL,
  remote_size_bytes INTEGER NOT NULL,
  remote_parent_key TEXT,               -- NULL = the drive root
  PRIMARY KEY (pair, path)
) STRICT;
CREATE INDEX base_by_remote_key ON base (pair, remote_key);

-- Durable pending work, one row per (pair, path, action) (graphile-worker style).
CREATE TABLE actions (
  pair         TEXT    NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
  path         TEXT    NOT NULL,
  action       TEXT    NOT NULL,        -- a plan action kind (contracts.md §1)
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_try_ms  INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  error_class  TEXT,
  permanent    INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
  PRIMARY KEY (pair, path, action)
) STRICT;

-- Resumable uploads across restarts (src/remote UploadSession).
CREATE TABLE upload_sessions (
  pair        TEXT    NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
  path        TEXT    NOT NULL,
  upload_url  TEXT    NOT NULL,
  offset_bytes INTEGER NOT NULL,
  size_bytes  INTEGER NOT NULL,
  mtime_ms    INTEGER NOT NULL,
  sha256      TEXT,
  parent_key  TEXT,
  name        TEXT    NOT NULL,
  created_ms  INTEGER NOT NULL,
  PRIMARY KEY (pair, path)
) STRICT;

-- Per-file problems shown by `status`: failures, refusals and conflicts (kind says which).
CREATE TABLE file_errors (
  pair     TEXT    NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
  path     TEXT    NOT NULL,
  kind     TEXT    NOT NULL CHECK (kind IN ('error', 'conflict', 'skipped')),
  reason   TEXT    NOT NULL,
  at_ms    INTEGER NOT NULL,
  PRIMARY KEY (pair, path, kind)
) STRICT;

-- Watcher hints: "look at this path again" (design.md: events are hints, the scanner is the truth).
CREATE TABLE events (
  pair   TEXT    NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
  path   TEXT    NOT NULL,
  at_ms  INTEGER NOT NULL,
  PRIMARY KEY (pair, path)
) STRICT;

-- Small facts: key "last_sync_ms" per pair, "last_429_ms" with pair ''.
CREATE TABLE meta (
  pair   TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (pair, key)
) STRICT;
