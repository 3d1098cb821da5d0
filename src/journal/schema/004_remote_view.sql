-- The remote view (design.md "The daemon: jobs within the budget": the remote view lives in the
-- journal, per folder). What the Drive held at each path when it was last listed or looked at is
-- the base row's remote half, except where this table says otherwise:
--   a row with remote_key    : the Drive holds this entry here (not in the base, or not as the base says);
--   a row with remote_key NULL: the base has this path, the Drive did not hold it here.
-- A base row written or deleted means both sides agree on that path again: the triggers below drop
-- the path's row in the same transaction.
CREATE TABLE remote_delta (
  pair              TEXT    NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
  path              TEXT    NOT NULL,   -- relative to the pair's remote folder, NFC
  remote_key        TEXT,               -- fileId; NULL = absent here
  remote_parent_key TEXT,               -- NULL = the drive root
  name              TEXT,               -- fileName as the Drive stores it
  kind              TEXT    CHECK (kind IN ('file', 'folder')),
  size_bytes        INTEGER,
  update_ms         INTEGER,            -- modifiedTime
  PRIMARY KEY (pair, path)
) STRICT;

CREATE TRIGGER remote_delta_drop_on_base_insert AFTER INSERT ON base
BEGIN
  DELETE FROM remote_delta WHERE pair = NEW.pair AND path = NEW.path;
END;

CREATE TRIGGER remote_delta_drop_on_base_update AFTER UPDATE ON base
BEGIN
  DELETE FROM remote_delta WHERE pair = OLD.pair AND path = OLD.path;
  DELETE FROM remote_delta WHERE pair = NEW.pair AND path = NEW.path;
END;

CREATE TRIGGER remote_delta_drop_on_base_delete AFTER DELETE ON base
BEGIN
  DELETE FROM remote_delta WHERE pair = OLD.pair AND path = OLD.path;
END;
