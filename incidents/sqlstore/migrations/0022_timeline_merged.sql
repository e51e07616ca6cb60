-- An incident's timeline includes the entries of the incidents merged
-- into it: found through this index instead of a scan of every incident.
CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL;
