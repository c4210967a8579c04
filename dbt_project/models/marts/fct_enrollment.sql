{{ fact_figures(kind='actual', domain='enrollment') }}
