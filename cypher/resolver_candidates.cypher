// For each term ({key: a match key, cap}), how many organisations hold it and, unless more than cap
// (null: no cap) do, their identities; through the organisation_match full-text index, each key quoted as
// one exact term. Organisations hold no period, so $as_of changes nothing here.
UNWIND $terms AS term
CALL (term) {
  CALL db.index.fulltext.queryNodes('organisation_match',
                                    '"' + replace(replace(term.key, '\\', '\\\\'), '"', '\\"') + '"') YIELD node
  RETURN count(node) AS held, collect(node) AS found
}
RETURN term.key AS term, held,
       [o IN CASE WHEN term.cap IS NULL OR held <= term.cap THEN found ELSE [] END |
        {key: o.key, name: o.name, aliases: coalesce(o.aliases, []), identifiers: coalesce(o.identifiers, []),
         postal_code: o.postal_code, website: o.website, org_type: o.org_type,
         is_council: coalesce(o.is_council, false)}] AS organisations
