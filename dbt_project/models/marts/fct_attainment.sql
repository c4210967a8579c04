{{ fact_figures(kind='actual', domain='attainment') }}
