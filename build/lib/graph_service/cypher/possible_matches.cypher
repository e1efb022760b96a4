// Uncertain golden-record matches (all, or those with $status, or one by $match_id) for an officer.
// A match holds no period, so $as_of changes nothing here.
MATCH (a:Organisation)-[r:POSSIBLY_SAME_AS]->(b:Organisation)
WHERE ($status IS NULL OR r.status = $status) AND ($match_id IS NULL OR r.match_id = $match_id)
RETURN r.match_id AS id, a.key AS start, a.name AS start_name, coalesce(a.identifiers, []) AS start_identifiers,
       b.key AS end, b.name AS end_name, coalesce(b.identifiers, []) AS end_identifiers,
       r.score AS score, r.reason AS reason, r.status AS status, r._source AS source, r._locator AS locator
