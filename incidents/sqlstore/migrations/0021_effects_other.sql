-- The specification of the effect "other" (GDPR procedure, Appendix 4:
-- "Other [please specify other possible results]"), which the notice
-- prints beside it.
ALTER TABLE incidents ADD COLUMN effects_other TEXT NOT NULL DEFAULT '';
