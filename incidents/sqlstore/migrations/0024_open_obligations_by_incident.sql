-- An incident's soonest undecided due time, for the list in due order
-- (the console's queue): one look into this index per incident, instead
-- of grouping every undecided obligation.
CREATE INDEX obligations_open_incident ON obligations (incident_id, due_at) WHERE state IN ('pending', 'drafted', 'approved') AND due_at IS NOT NULL;
