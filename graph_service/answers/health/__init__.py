"""Partner relationship health for procurement.

facts.py gathers the named queries' rows (queries/health.py, queries/procurement.py) for one day;
network.py works out who depends on whom; model.py scores each partner from settings/health.yaml;
report.py ranks and filters the portfolio; snapshots.py keeps dated runs; impact.py follows what a
partner's failure would hit; procurement.py holds procurement's views; page.py draws /health.
All of it is Python over rows, so the embedded store and Neo4j give the same answers.
"""
