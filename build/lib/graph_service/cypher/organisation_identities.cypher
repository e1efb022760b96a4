// Every organisation's names, identifiers and postcode: what ingest matches records against.
// Organisations hold no period, so $as_of changes nothing here.
MATCH (o:Organisation)
RETURN o.key AS key, o.name AS name, coalesce(o.aliases, []) AS aliases, coalesce(o.identifiers, []) AS identifiers,
       o.postal_code AS postal_code, o.website AS website, o.org_type AS org_type,
       coalesce(o.is_council, false) AS is_council
