{{ fact_figures(kind='actual', domain='staffing') }}
