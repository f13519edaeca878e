-- The inputs in long form (city, year, input column, value): the catalogue picks its
-- indicators from here by column name, so adding an indicator is an edit to the seed.
{{ index_unpivot_numeric(ref('int_index__city_year_inputs'), ['city_code', 'year']) }}
