-- hoscase schema, version 5: the date of the Housing Ombudsman's determination on a case, so the annual
-- report (8.1c, 9.7c) can count determinations in the year, not only referrals.

ALTER TABLE cases ADD COLUMN ombudsman_determined_on TEXT;
