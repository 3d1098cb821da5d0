-- What the failed item looked like when it failed (e.g. "size:mtime" of the local file, or
-- "key:update_ms" of the remote one). A permanent refusal applies only while the fingerprint is the
-- same: an edited file is tried again (contracts.md §1 "except what the remote refused for good").
ALTER TABLE actions ADD COLUMN fingerprint TEXT;
