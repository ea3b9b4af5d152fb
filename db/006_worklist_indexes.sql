-- hoscase schema, version 6: partial indexes for the work list's rarer rows, read at every launch. Without
-- them each query scans every case or remedy (40 ms together at 100,000 cases); with them it reads only the
-- few rows it shows. No data changes.

CREATE INDEX IF NOT EXISTS remedies_open_due ON remedies(due) WHERE done IS NULL;
CREATE INDEX IF NOT EXISTS cases_adjustments_review_due ON cases(adjustments_review)
    WHERE adjustments_review IS NOT NULL AND adjustments_review != '';
CREATE INDEX IF NOT EXISTS cases_ombudsman_orders_open ON cases(ombudsman_orders_due)
    WHERE ombudsman_orders_due IS NOT NULL AND ombudsman_orders_due != '';
