-- The runs of one state across incidents (the console's dry runs), newest
-- first, found through this index rather than a scan of every run.
CREATE INDEX action_runs_state ON action_runs (state, id);
