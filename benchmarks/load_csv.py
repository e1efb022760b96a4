"""The benchmark CSVs loaded by Neo4j itself: LOAD CSV, batched with CALL { ... } IN TRANSACTIONS.

Each statement stores exactly what Neo4jStore stores for the same row (graph_service/store/neo4j.py):
the :Node label beside the row's own, `key`, the properties, provenance as _source/_locator/_loaded_at/
_illustrative, an empty _history, and on relationships the `id` start|TYPE|end|valid_from. What it does
not do is what the pipeline adds on top: schema validation, rejection with reasons, merging with stored
values (history of replaced values) and created/updated/unchanged counts.

Each file is read once for its nodes and once more for each relationship type it holds (the usual way
to LOAD CSV: a pass that only creates nodes, then passes that MATCH both ends by key), so a row with a
node and four relationships costs five reads of that row. The files must be where the server may read them: the local server's conf sets
server.directories.import to <GRAPH_SERVICE_NEO4J_HOME>/import, and file:/// URLs resolve inside it.
"""
from __future__ import annotations


ANCHOR = "2026-11-01"
_PROV = "_source: $source, _locator: 'row ' + toString(line), _loaded_at: $loaded_at, _illustrative: true, _history: '[]'"


def _node(label: str, props: str) -> str:
    return (f"MERGE (n:Node {{key: row.key}}) SET n:{label} "
            f"SET n = {{key: row.key, {props}, {_PROV}}}")


def _rel(rel_type: str, start: str, end: str, valid_from: str | None = None, valid_to: str | None = None,
         extra: str = "") -> str:
    """A pass over the file that MERGEs one relationship type (start/end are Cypher expressions of the keys)."""
    vf = valid_from or "null"
    rid = f"{start} + '|{rel_type}|' + {end} + '|' + coalesce({vf}, '')"
    props = [f"id: {rid}", f"valid_from: {vf}", f"valid_to: {valid_to or 'null'}", _PROV] + ([extra] if extra else [])
    return (f"MATCH (a:Node {{key: {start}}}) MATCH (b:Node {{key: {end}}}) "
            f"MERGE (a)-[r:{rel_type} {{id: {rid}}}]->(b) SET r = {{{', '.join(props)}}}")


def _filter(statement: str) -> str:
    """The keys a relationship pass needs, so that rows without them are skipped."""
    keys = [k for k in ("row.key", "row.persona", "row.owner_post", "row.buyer", "row.service", "row.manager",
                        "row.succeeds", "row.supplier", "row.contract", "row.funder", "row.recipient", "row.payer",
                        "row.payee", "row.attended_by", "row.partner") if f"{{key: {k}}}" in statement]
    return " AND ".join(f"{k} IS NOT NULL" for k in keys) or "true"


# One pass per label and per relationship type, as Neo4j's own import advice has it (nodes first, then
# each relationship type on its own, MATCHing both ends by the unique key).
STATEMENTS: dict[str, list[str]] = {
    "services.csv": [_node("Service", "name: row.name, critical: toBoolean(row.critical)")],
    "organisations.csv": [
        _node("Organisation", "name: row.name, aliases: split(row.aliases, '; '), identifiers: split(row.identifiers, '; '), "
                              "org_type: row.org_type, postal_code: row.postal_code, website: row.website, "
                              "verified_on: row.verified_on"),
        _rel("HAS_PERSONA", "row.key", "row.persona"),
        _rel("HOLDS_RELATIONSHIP", "row.owner_post", "row.key", valid_from="row.owner_since"),
    ],
    "contracts.csv": [
        _node("Contract", "title: row.title, ocid: row.ocid, value: toFloat(row.value), currency: row.currency, "
                          "start_date: row.start_date, end_date: row.end_date, status: row.status, "
                          "procurement_method: row.procurement_method, kraljic_category: row.kraljic_category, "
                          "has_management_plan: toBoolean(row.has_management_plan), has_exit_plan: toBoolean(row.has_exit_plan)"),
        _rel("BUYS", "row.buyer", "row.key", valid_from="row.start_date", valid_to="row.end_date"),
        _rel("DELIVERS", "row.key", "row.service"),
        _rel("MANAGES", "row.manager", "row.key", valid_from="row.start_date",
             valid_to=f"CASE WHEN row.end_date < '{ANCHOR}' THEN row.end_date END"),
        _rel("SUCCEEDS", "row.key", "row.succeeds"),
    ],
    "suppliers.csv": [_rel("SUPPLIES", "row.supplier", "row.contract", "row.valid_from", "row.valid_to", extra="role: row.role")],
    "grants.csv": [
        _node("Grant", "title: row.title, amount: toFloat(row.amount), currency: row.currency, award_date: row.award_date, "
                       "start_date: row.start_date, end_date: row.end_date, programme: row.programme"),
        _rel("FUNDS", "row.funder", "row.key", valid_from="row.start_date", valid_to="row.end_date"),
        _rel("RECEIVES", "row.recipient", "row.key", valid_from="row.start_date", valid_to="row.end_date"),
        _rel("DELIVERS", "row.key", "row.service"),
    ],
    "payments.csv": [
        _node("Payment", "amount: toFloat(row.amount), paid_on: row.paid_on, transaction_id: row.transaction_id, "
                         "expense_type: row.expense_type, service_area: row.service_area"),
        _rel("PAID_BY", "row.key", "row.payer"),
        _rel("PAID_TO", "row.key", "row.payee"),
        _rel("PAID_FOR", "row.key", "row.service"),
        _rel("PAID_UNDER", "row.key", "row.contract"),
    ],
    "kpi_ratings.csv": [
        _node("KpiRating", "kpi: row.kpi, rating: row.rating, period_end: row.period_end"),
        _rel("RATED", "row.contract", "row.key"),
    ],
    "engagements.csv": [
        _node("Engagement", "kind: row.kind, held_on: row.held_on, summary: row.summary"),
        _rel("WITH_PARTNER", "row.key", "row.partner"),
        _rel("ATTENDED", "row.attended_by", "row.key"),
    ],
}


def statements(file: str, batch: int) -> list[str]:
    """The LOAD CSV statements for one file, in order ($url, $source, $loaded_at are parameters)."""
    return [f"LOAD CSV WITH HEADERS FROM $url AS row WITH row, linenumber() AS line WHERE {_filter(body)} "
            f"CALL (row, line) {{ {body} }} IN TRANSACTIONS OF {batch} ROWS" for body in STATEMENTS[file]]
