"""Shared pieces of the EduFigures DAGs: assets, pools, runtime settings, notifications.

Kept free of heavy imports: every DAG file imports this package at parse time.
"""
