// Business charters and principles of partnership each partner is party to on $as_of.
MATCH (o:Organisation)-[r:PARTY_TO]->(c:Charter)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, c.key AS charter, c.name AS name, c.kind AS kind, c.status AS status,
       c.signed_on AS signed_on, c.review_date AS review_date, r.valid_from AS joined,
       r.id AS rel, r._source AS source, r._locator AS locator
