-- Incidents that share an entity (an address, a user) are related by the
-- incident_entities rows themselves, read when asked for: no link rows
-- are written on the path from the 5th failure to its block, and a purge
-- that deletes an incident's entities deletes its links with them. Only
-- the links a person made (merges) stay rows.
DELETE FROM incident_links WHERE kind != 'merge';
CREATE INDEX incident_entities_incident ON incident_entities (incident_id);
