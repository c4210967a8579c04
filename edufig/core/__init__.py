"""What every stage shares and that depends on no stage: records, settings, the metric
catalog, administrative divisions, figure files, the warehouse access module and the
removal of control characters from scraped text."""
