{{ fact_figures(kind='actual', domain='funding') }}
