{#- Generated from edufig/quality/registry.py by `python -m edufig.quality.generated_files`;
    do not edit. The checks dq_check_rows unions, with the bound columns each sets
    (None: per row, from its model; a number: fixed). -#}
{% macro dq_checks() %}
{{ return([
    {'name': 'hard_bounds', 'model': 'dq_check_hard_bounds', 'bounds': {'hard_min': None, 'hard_max': None}},
    {'name': 'plausibility', 'model': 'dq_check_plausibility', 'bounds': {'hard_min': None, 'hard_max': None, 'soft_min': None, 'soft_max': None}},
    {'name': 'unit_scale', 'model': 'dq_check_unit_scale', 'bounds': {'hard_min': None, 'hard_max': None}},
    {'name': 'stated_growth', 'model': 'dq_check_stated_growth', 'bounds': {'hard_min': None, 'hard_max': None, 'soft_min': None, 'soft_max': None}},
    {'name': 'parts_totals', 'model': 'dq_check_parts_totals', 'bounds': {'hard_min': None, 'hard_max': None, 'soft_min': None}},
    {'name': 'conflicts', 'model': 'dq_check_conflicts', 'bounds': {'hard_max': None, 'soft_max': None}},
    {'name': 'yoy_jumps', 'model': 'dq_check_yoy_jumps', 'bounds': {'hard_min': None, 'hard_max': None, 'soft_min': None, 'soft_max': None}},
    {'name': 'derived_ratios', 'model': 'dq_check_derived_ratios', 'bounds': {'hard_min': None, 'hard_max': None, 'soft_min': None, 'soft_max': None}},
    {'name': 'targets_baseline', 'model': 'dq_check_targets_baseline', 'bounds': {'soft_min': None}},
    {'name': 'pp_amounts', 'model': 'dq_check_pp_amounts', 'bounds': {'soft_max': None}},
    {'name': 'annual_totals', 'model': 'dq_check_annual_totals', 'bounds': {'soft_max': 0.0}},
    {'name': 'all_levels_ratio', 'model': 'dq_check_all_levels_ratio', 'bounds': {'hard_min': None, 'hard_max': None, 'soft_min': None, 'soft_max': None}},
    {'name': 'breakdowns', 'model': 'dq_check_breakdowns', 'bounds': {'soft_min': 0.75}}
]) }}
{% endmacro %}
