// Each commissioning decision taken by $as_of (or undated): the three criteria the New Normal
// Strategy names (resilience, quality, cost), its options in their recorded order, what it
// decides and the governance bodies that approved it, each link in force on $as_of.
MATCH (d:CommissioningDecision)
WHERE $as_of IS NULL OR d.decided_on IS NULL OR d.decided_on <= $as_of
RETURN d.key AS decision, d.title AS title, d.decided_on AS decided_on, d.resilience AS resilience,
       d.quality AS quality, d.cost AS cost, d.chosen_option AS chosen_option, coalesce(d.options, []) AS options,
       {source: d._source, locator: d._locator, illustrative: d._illustrative} AS provenance,
       COLLECT {
         MATCH (d)-[r:DECIDES]->(t)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: t.key, label: [l IN labels(t) WHERE l <> 'Node'][0], name: coalesce(t.name, t.title, t.text, t.kpi, t.kind, t.transaction_id),
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS decides,
       COLLECT {
         MATCH (b:GovernanceBody)-[r:APPROVES]->(d)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
           AND ($as_of IS NULL OR r.approved_on IS NULL OR r.approved_on <= $as_of)
         RETURN {type: type(r), key: b.key, label: 'GovernanceBody', name: b.name, approved_on: r.approved_on,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS approvals
