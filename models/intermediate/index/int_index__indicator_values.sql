-- Observed indicator values: each catalogue indicator read from its input column and
-- transformed as the catalogue says (none, log, per capita, share). Long form, one row per
-- city, year and indicator that has a value.
with catalogue as (
    select * from {{ ref('int_index__catalogue') }}
),

inputs as (
    select * from {{ ref('int_index__inputs_long') }}
),

transformed as (
    select
        inputs.city_code,
        inputs.year,
        catalogue.indicator_code,
        catalogue.pillar,
        inputs.input_value,
        {{ index_apply_transform('catalogue.transform', 'inputs.input_value', 'denominators.input_value') }} as indicator_value
    from catalogue
    inner join inputs
        on inputs.input_column = catalogue.input_column
    left join inputs as denominators
        on denominators.input_column = catalogue.denominator_column
        and denominators.city_code = inputs.city_code
        and denominators.year = inputs.year
)

select city_code, year, indicator_code, pillar, input_value, indicator_value
from transformed
where indicator_value is not null
