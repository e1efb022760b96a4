// The delivery network on $as_of: partners to their current contracts and grants (as supplier,
// recipient or co-funder), on to services, priorities and key indicators, and partners' charters,
// work-streams and each other. What the impact chain, dependency and cut-vertex analysis walk.
// A contract or grant is current when its term covers $as_of; relationships count when in force.
// `critical` is the end node's critical flag (services). Contracts and grants outside $buyer's scope
// (a contract it BUYS, a grant it FUNDS; null: every one), and their links, are left out.
// The links touching contracts and grants are found from the ones in scope, not by scanning every link.
CALL () {
  MATCH (a:Node)-[r:SUPPLIES|RECEIVES|FUNDS|DELIVERS|SUPPORTS|CONTRIBUTES_TO|MEASURES|PARTY_TO|ENGAGED_IN|WORKS_WITH]->(b:Node)
  WHERE NOT (a:Contract OR a:Grant OR b:Contract OR b:Grant)
  RETURN a, r, b
  UNION
  CALL () {
    MATCH (x:Contract|Grant) WHERE $buyer IS NULL RETURN x
    UNION
    MATCH (:Organisation {key: $buyer})-[f:BUYS|FUNDS]->(x:Contract|Grant)
    WHERE (x:Contract AND type(f) = 'BUYS') OR (x:Grant AND type(f) = 'FUNDS')
    RETURN x
  }
  MATCH (x)-[r:SUPPLIES|RECEIVES|FUNDS|DELIVERS|SUPPORTS|CONTRIBUTES_TO|MEASURES|PARTY_TO|ENGAGED_IN|WORKS_WITH]-(other:Node)
  WHERE $buyer IS NULL OR NOT (other:Contract OR other:Grant)
     OR EXISTS { MATCH (:Organisation {key: $buyer})-[f]->(other)
                 WHERE (other:Contract AND type(f) = 'BUYS') OR (other:Grant AND type(f) = 'FUNDS') }
  RETURN startNode(r) AS a, r, endNode(r) AS b
}
WITH a, r, b WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
WITH a, r, b, type(r) AS kind,
     [l IN labels(a) WHERE l <> 'Node'][0] AS a_label, [l IN labels(b) WHERE l <> 'Node'][0] AS b_label,
     ($as_of IS NULL OR (coalesce(a.start_date, '') <= $as_of AND (a.end_date IS NULL OR a.end_date > $as_of))) AS a_current,
     ($as_of IS NULL OR (coalesce(b.start_date, '') <= $as_of AND (b.end_date IS NULL OR b.end_date > $as_of))) AS b_current,
     (a:Organisation AND coalesce(a.is_council, false) = false) AS a_partner,
     (b:Organisation AND coalesce(b.is_council, false) = false) AS b_partner
WHERE CASE
  WHEN kind IN ['SUPPLIES', 'RECEIVES', 'FUNDS'] THEN a_partner AND b_label IN ['Contract', 'Grant'] AND b_current
  WHEN kind = 'DELIVERS' THEN b_label = 'Service' AND a_current
  WHEN kind = 'SUPPORTS' THEN b_label = 'Priority' AND a_label IN ['Service', 'Contract', 'Grant', 'Charter']
                              AND (NOT a_label IN ['Contract', 'Grant'] OR a_current)
  WHEN kind = 'CONTRIBUTES_TO' THEN b_label = 'KeyIndicator' AND a_label IN ['Service', 'Contract', 'Organisation', 'Workstream']
                                    AND (a_label <> 'Contract' OR a_current) AND (a_label <> 'Organisation' OR a_partner)
  WHEN kind = 'MEASURES' THEN true
  WHEN kind IN ['PARTY_TO', 'ENGAGED_IN'] THEN a_partner AND b_label IN ['Charter', 'Workstream']
  ELSE a_partner AND b_partner
END
RETURN a.key AS start, a_label AS start_label, coalesce(a.name, a.title, a.text, a.kpi, a.kind, a.transaction_id) AS start_name, kind AS type,
       b.key AS end, b_label AS end_label, coalesce(b.name, b.title, b.text, b.kpi, b.kind, b.transaction_id) AS end_name,
       r.id AS rel, b.critical AS critical, r._source AS source, r._locator AS locator
