-- Views of a record's detail (action 'view') are most of the audit log: one
-- per GET.  Indexed with the changes by (entity, entity_id), each view went
-- into a random leaf of that index, so a batch of views dirtied about one
-- page per view (written to the WAL, then checkpointed).
--
-- Now the entity index holds the other entries only, and views are indexed
-- by (id >> 14, entity, entity_id): the first column is the block of 16,384
-- audit ids the entry belongs to, so new views all land in the newest block,
-- a few pages that stay hot.  A record's history reads the changes from
-- audit_entity and the views with one probe of audit_view per block (see
-- store_audit_each).  The rows, and so the hash chain, are unchanged.
DROP INDEX IF EXISTS audit_entity;
CREATE INDEX audit_entity ON audit(entity, entity_id) WHERE action <> 'view';
CREATE INDEX audit_view ON audit(id >> 14, entity, entity_id) WHERE action = 'view';
