-- One row per day, 2000-2030: the calendar MetricFlow joins metrics to. The warehouse's facts
-- are yearly; the daily grain is what the semantic layer expects as its base.
select cast(day as date) as date_day
from generate_series(date '2000-01-01', date '2030-12-31', interval 1 day) as days(day)
