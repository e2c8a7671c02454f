-- Who changed what, from the verified bearer token's subject (never a header the caller writes): the operator who
-- registered a feature set version, and the operator who last replayed a quarantined value. NULL on rows written
-- before operators were authenticated.
ALTER TABLE feature_set_version ADD COLUMN registered_by TEXT;
ALTER TABLE quarantined_value ADD COLUMN replayed_by TEXT;
