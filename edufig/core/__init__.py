"""What every stage shares and that depends on no stage: records, settings, the metric
catalog, administrative divisions, figure files and the warehouse access module."""
