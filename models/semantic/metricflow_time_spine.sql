-- One row per day, 2000-2030: the calendar MetricFlow joins metrics to. The warehouse's facts
-- are yearly; the daily grain is what the semantic layer expects as its base.
select cast(date_day as date) as date_day
from ({{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2031-01-01' as date)") }}) as days
