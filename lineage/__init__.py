"""pupil-data lineage: a cited lineage graph of the flows of pupil records in England."""
