-- A data subject's number is its place on its incident's list, from 1:
-- the row ids of the table run across every list, and a notice keyed by
-- them told one incident's team how many subjects the others had. Rows
-- of lists uploaded before keep their number (their obligations are
-- keyed by it); numbers stay unique within an incident.
ALTER TABLE data_subjects ADD COLUMN number INTEGER;
UPDATE data_subjects SET number = id;
CREATE UNIQUE INDEX data_subjects_number ON data_subjects (incident_id, number);
