{{ fact_figures(kind='target') }}
