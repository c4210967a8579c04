{#- Generated from edufig/quality/registry.py by `python -m edufig.quality.generated_files`; do not edit. -#}
{{ failing_check_rows('targets_baseline') }}
