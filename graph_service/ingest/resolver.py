"""Golden records: one Organisation per real organisation, however many files name it.

Readers describe each organisation a record mentions with `org_node` (a placeholder
key, the published name, identifiers, postcode). `Resolver.resolve` then decides, for
the whole file at once, which stored or new Organisation each placeholder is:

- a shared identifier (normalised to org-id form) merges; a council named in any form
  ('Borough of X', 'X Council - Pensions') carries its GB-LAE code, so it merges too;
- a name-only organisation merges with the one identified organisation of that
  normalised name, or, when none is identified, with the one organisation of that name
  (and no different postcode); an identified organisation arriving for a name so far
  held by one name-only record takes that record over, adding its identifiers;
- anything uncertain is kept apart and a POSSIBLY_SAME_AS relationship (score,
  reason, status "pending") asks an officer: one name with several identified
  organisations, a near-identical or cut-short name, the same council under another
  form of its name, or a name-only body at another's postcode;
- an identifier no register could have issued (a 9-digit company number) is not
  accepted: the record is stored without it, and the identifier is reported as a
  rejection at the record's locator, saying which organisation and why.

Near names are looked for only among names sharing a word with the new one (a token
index). The store is asked only for the organisations the file's names, their blocks, its
identifiers and postcodes reach (their `match_keys`, queries/resolver.py) and the matches
among them, never for every organisation, so resolving a file costs the same however large
the store has grown.

The golden record keeps the first name it was stored under; every published name is
added to `aliases`, and once per file to `alias_sources` ("name | source | locator").
Scalar facts (postcode, website, type) fill gaps but never overwrite a stored value, so
loading a file twice changes nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from typing import Any, Iterable, Iterator

from graph_service.store.base import GraphStore
from graph_service.errors import BadRequest, NotFound
from graph_service.ingest.councils import council
from graph_service.ingest.identifiers import LOCAL_AUTHORITY_LISTS, identifier_problem, org_type_of
from graph_service.ingest.names import (clean_name, council_core, council_identifier, name_blocks, normalise_name,
                                        postcode, strip_qualifiers)
from graph_service.ingest.pipeline import Item
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.schema import slug
from graph_service.queries import ask

MATCH = "POSSIBLY_SAME_AS"
PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"
FUZZY_CUTOFF = 90  # rapidfuzz ratio (0-100) from which two names are worth an officer's look
SHARED_BUILDING = 3  # more bodies than this at one postcode: an office block, not a clue
BLOCK_LIMIT = 500  # a word more names share than this ('services') finds no candidates on its own
# A block held by more organisations than this is crowded without reading them: it would take four
# organisations a name on average for so many to hold no more than BLOCK_LIMIT names.
BLOCK_FETCH_CAP = 4 * BLOCK_LIMIT


# -- what a record says about an organisation ---------------------------------------------------
@dataclass(frozen=True)
class OrgRef:
    name: str  # as published
    identifiers: tuple[str, ...] = ()
    postal_code: str | None = None
    also_named: tuple[str, ...] = ()  # a legal name beside the trading name
    facts: tuple[tuple[str, Any], ...] = ()  # website, org_type ...
    meant: str = ""  # the name a new record takes when it differs from the published one ('British Gas')

    @property
    def normalised(self) -> str:
        return normalise_name(self.meant or self.name)

    @property
    def record_name(self) -> str:
        return self.meant or self.name


def org_node(token: str, name: str | None, identifiers: Iterable[str | None] = (), postal_code: str | None = None,
             also_named: Iterable[str | None] = (), **facts: Any) -> dict[str, Any]:
    """A placeholder Organisation for a reader's Item; relationships name it by `token`.

    A new record is named for the organisation the published name means ('British Gas' for 'British
    Gas A/C 1234', the register's name for 'Kent County Council (Direct Debit Payments)'); its aliases
    are only the names as published.
    """
    published = clean_name(name)
    meant = strip_qualifiers(published)
    ids = tuple(dict.fromkeys(i for i in identifiers if i))
    if not any(i.startswith(scheme + "-") for i in ids for scheme in LOCAL_AUTHORITY_LISTS):
        code = council_identifier(published)
        if code:
            ids, meant = (code, *ids), council(code).name
    names = tuple(dict.fromkeys(n for n in (clean_name(a) for a in also_named) if n and n != published))
    kept = tuple((k, v) for k, v in facts.items() if v not in (None, ""))
    return {"label": "Organisation", "key": token,
            "identity": OrgRef(published, ids, postcode(postal_code), names, kept,
                               meant="" if meant == published else meant)}


def match_id(a: str, b: str) -> str:
    """A short stable id for the pair, whichever way round it was proposed."""
    first, second = sorted((a, b))
    return "m-" + hashlib.sha1(f"{first}\n{second}".encode()).hexdigest()[:10]


def _without_impossible_identifiers(item: Item) -> tuple[Item, list[str]]:
    """The item with every identifier no register could have issued taken off its organisations, and why."""
    reasons: list[str] = []
    nodes = []
    for node in item.nodes:
        ref = node.get("identity") if isinstance(node, dict) else None
        if isinstance(ref, OrgRef):
            bad = {i: identifier_problem(i) for i in ref.identifiers}
            reasons += [f"{i} for {ref.name or 'an unnamed organisation'!r}: {why}; stored without it"
                        for i, why in bad.items() if why]
            node = {**node, "identity": replace(ref, identifiers=tuple(i for i in ref.identifiers if not bad[i]))}
        nodes.append(node)
    return (Item(item.locator, item.provenance, nodes, item.rels, item.problem) if reasons else item), reasons


# -- resolution ---------------------------------------------------------------------------------
@dataclass
class _Entity:
    key: str
    name: str
    names: set[str] = field(default_factory=set)  # normalised
    identifiers: set[str] = field(default_factory=set)
    postal_code: str | None = None
    stored: dict[str, Any] | None = None  # the stored props, if it exists

    @property
    def identified(self) -> bool:
        return bool(self.identifiers) or not self.key.startswith("org:")  # keyed by an org-id


class _Pairs:
    """Matches already proposed (in the store or this file), and who an officer said is one."""

    def __init__(self) -> None:
        self.known: set[frozenset[str]] = set()
        self.parent: dict[str, str] = {}

    def same(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def confirm(self, a: str, b: str) -> None:
        ra, rb = self.same(a), self.same(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Proposal:
    start: str
    end: str
    score: float
    reason: str
    item: int


class Resolver:
    """Decides the golden-record key of every organisation a file mentions."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.entities: dict[str, _Entity] = {}
        self.by_identifier: dict[str, str] = {}
        self.by_name: dict[str, set[str]] = {}  # normalised name -> keys
        self.by_token: dict[str, set[str]] = {}  # word or word prefix -> normalised names
        self.by_postcode: dict[str, set[str]] = {}
        self.crowded: set[str] = set()  # 'b:' blocks more than BLOCK_LIMIT stored names share, 'p:' office blocks
        self.taken: dict[str, bool] = {}  # org keys asked of the store by _free_key
        self.pairs = _Pairs()
        self.proposals: dict[frozenset[str], _Proposal] = {}

    # the store ---------------------------------------------------------------------------
    def _load(self, refs: list[OrgRef]) -> None:
        """The stored organisations these records can reach, and every match touching them (following
        confirmed ones to their ends): all that the decisions below look at."""
        names = {normalise_name(n) for r in refs for n in (r.name, r.meant, *r.also_named) if n} - {""}
        blocks = {b for r in refs if not r.identifiers and r.normalised for b in name_blocks(r.normalised)}
        terms = ([{"key": "n:" + n, "cap": None} for n in sorted(names)]
                 + [{"key": "b:" + b, "cap": BLOCK_FETCH_CAP} for b in sorted(blocks)]
                 + [{"key": "i:" + i, "cap": None} for i in sorted({i for r in refs for i in r.identifiers})]
                 # more than SHARED_BUILDING others at a postcode is never a clue, however many
                 + [{"key": "p:" + p, "cap": SHARED_BUILDING + 1} for p in sorted({r.postal_code for r in refs} - {None})])
        rows: dict[str, dict[str, Any]] = {}
        for term in ask(self.store, "resolver_candidates", terms=terms):
            key = term["term"]
            if key.startswith("p:") and term["held"] > SHARED_BUILDING + 1 or key.startswith("b:") and (
                    term["held"] > BLOCK_FETCH_CAP or len({n for o in term["organisations"]
                                                           for n in map(normalise_name, [o["name"], *o["aliases"]])
                                                           if key[2:] in name_blocks(n)}) > BLOCK_LIMIT):
                self.crowded.add(key)
            rows.update((o["key"], o) for o in term["organisations"])
        for key in sorted(rows):  # in key order, as a whole-store read would add them
            row = rows[key]
            entity = _Entity(key, row["name"], identifiers=set(row["identifiers"]),
                             postal_code=postcode(row["postal_code"]), stored=row)
            self._add(entity, [row["name"], *row["aliases"]])
            if not key.startswith("org:"):  # keyed by an org-id it may not list
                self.by_identifier.setdefault(key, key)
        asked: set[str] = set()
        wanted = set(rows)
        while wanted - asked:
            batch = sorted(wanted - asked)
            asked.update(batch)
            for row in ask(self.store, "resolver_matches", keys=batch):
                self.pairs.known.add(frozenset((row["start"], row["end"])))
                if row["status"] == CONFIRMED:
                    self.pairs.confirm(row["start"], row["end"])
                    wanted.update((row["start"], row["end"]))

    def _add(self, entity: _Entity, names: Iterable[str]) -> None:
        self.entities[entity.key] = entity
        for ident in entity.identifiers:
            self.by_identifier.setdefault(ident, entity.key)
        if entity.postal_code:
            self.by_postcode.setdefault(entity.postal_code, set()).add(entity.key)
        self._name(entity, names)

    def _name(self, entity: _Entity, names: Iterable[str]) -> None:
        for name in names:
            normalised = normalise_name(name)
            if not normalised:
                continue
            entity.names.add(normalised)
            if normalised not in self.by_name:
                for block in name_blocks(normalised):
                    self.by_token.setdefault(block, set()).add(normalised)
            self.by_name.setdefault(normalised, set()).add(entity.key)

    def _candidates(self, normalised: str) -> list[str]:
        """Known names sharing a word (or a word's first letters) with this one; common words find none."""
        found: set[str] = set()
        for block in name_blocks(normalised):
            names = self.by_token.get(block, ())
            if "b:" + block not in self.crowded and len(names) <= BLOCK_LIMIT:
                found.update(names)
        found.discard(normalised)
        return sorted(found)

    def _propose(self, start: str, end: str, score: float, reason: str, item: int) -> None:
        pair = frozenset((start, end))
        if start == end or pair in self.pairs.known or pair in self.proposals:
            return
        if self.pairs.same(start) == self.pairs.same(end):
            return
        self.proposals[pair] = _Proposal(start, end, round(score, 2), reason, item)

    def _free_key(self, normalised: str, pc: str | None) -> str:
        name = slug(normalised)
        if name == "unnamed":  # a name in a script slug() drops: still one key per name
            name = "n-" + hashlib.sha1(normalised.encode()).hexdigest()[:10]
        base = f"org:{name}"
        # made as needed: the first is usually free, and a thousand keys a new name cost more than its look-up
        options = chain([base], [f"{base}-{slug(pc)}"] if pc else [], (f"{base}-{n}" for n in range(2, 1000)))
        while tried := list(islice(options, 20)):  # asked of the store a few at a time
            chunk = [k for k in tried if k not in self.entities and k not in self.taken]
            if chunk:
                labels = self.store.labels(set(chunk))
                self.taken.update((k, labels.get(k) == "Organisation") for k in chunk)
            free = next((k for k in tried if k not in self.entities and not self.taken[k]), None)
            if free:
                return free
        raise StopIteration(base)

    # the file ----------------------------------------------------------------------------
    def resolve(self, items: Iterable[Item]) -> Iterator[Item]:
        """The file's items with golden-record keys; an impossible identifier is taken off its organisation
        and reported as a rejection of that identifier at the record's locator (the record itself is kept)."""
        items, refused = list(items), {}
        for index, item in enumerate(items):
            if item.problem is None:
                items[index], reasons = _without_impossible_identifiers(item)
                if reasons:
                    refused[index] = reasons
        refs = [(index, node) for index, item in enumerate(items) if item.problem is None for node in item.nodes
                if isinstance(node, dict) and isinstance(node.get("identity"), OrgRef)]
        if refs:
            self._load([node["identity"] for _, node in refs])
        keys = self._decide([(index, node["identity"]) for index, node in refs]) if refs else {}
        props = self._props(items, refs, keys)
        for index, item in enumerate(items):
            for reason in refused.get(index, ()):
                yield Item(item.locator, item.provenance, problem=("identifiers", reason))
            if item.problem or not refs:
                yield item
                continue
            tokens: dict[str, str] = {}
            nodes = []
            problem = None
            for node in item.nodes:
                ref = node.get("identity") if isinstance(node, dict) else None
                if isinstance(ref, OrgRef) and (index, ref) not in keys:
                    problem = problem or ("organisation", "an organisation with neither a name nor an identifier")
                elif isinstance(ref, OrgRef):
                    tokens[node["key"]] = keys[(index, ref)]
                    nodes.append({"label": "Organisation", "key": tokens[node["key"]], "props": props[(index, ref)]})
                else:
                    nodes.append(node)
            rels = [{**r, "start": tokens.get(r.get("start"), r.get("start")), "end": tokens.get(r.get("end"), r.get("end"))}
                    for r in item.rels]
            yield Item(item.locator, item.provenance, nodes, rels, problem)
        for proposal in self.proposals.values():
            item = items[proposal.item]
            yield Item(item.locator, item.provenance, rels=[{
                "type": MATCH, "start": proposal.start, "end": proposal.end,
                "props": {"score": proposal.score, "reason": proposal.reason, "status": PENDING,
                          "match_id": match_id(proposal.start, proposal.end)}}])

    def _decide(self, refs: list[tuple[int, OrgRef]]) -> dict[tuple[int, OrgRef], str]:
        keys: dict[tuple[int, OrgRef], str] = {}
        identified = [(i, r) for i, r in refs if r.identifiers]
        named = [(i, r) for i, r in refs if not r.identifiers and r.normalised]
        new: list[tuple[str, int]] = []
        for cluster in _clusters(identified):
            key, is_new = self._identified(cluster)
            new += [(key, cluster[0][0])] if is_new else []
            for member in cluster:
                keys[member] = key
        for key, index in new:
            self._check_identified(key, index)
        by_name: dict[str, list[tuple[int, OrgRef]]] = {}
        for index, ref in named:
            by_name.setdefault(ref.normalised, []).append((index, ref))
        for normalised, group in by_name.items():
            for pc, members in _by_postcode(group).items():
                key = self._named(normalised, pc, members[0][0], members[0][1].record_name)
                for member in members:
                    keys[member] = key
        return keys

    def _identified(self, cluster: list[tuple[int, OrgRef]]) -> tuple[str, bool]:
        """The stored organisation its identifiers name, the one name-only record of its name, or a new one."""
        identifiers = list(dict.fromkeys(i for _, ref in cluster for i in ref.identifiers))
        names = [n for _, ref in cluster for n in (ref.name, ref.meant, *ref.also_named) if n]
        pc = next((r.postal_code for _, r in cluster if r.postal_code), None)
        stored = list(dict.fromkeys(self.by_identifier[i] for i in identifiers if i in self.by_identifier))
        if not stored:
            stored = self._name_only_to_take_over(names, pc)
        if stored:
            key = stored[0]
            for other in stored[1:]:
                self._propose(key, other, 1.0, "published together as one organisation with identifiers "
                              + ", ".join(i for i in identifiers if self.by_identifier.get(i) in (key, other)), cluster[0][0])
            entity = self.entities[key]
            entity.identifiers.update(identifiers)
            self._name(entity, names)
            for ident in identifiers:
                self.by_identifier.setdefault(ident, key)
            return key, False
        first = cluster[0][1]
        key = next((i for i in identifiers if _valid_key(i)), None) or self._free_key(first.normalised, None)
        entity = _Entity(key, first.record_name, identifiers=set(identifiers), postal_code=pc)
        self._add(entity, names)
        return key, True

    def _name_only_to_take_over(self, names: list[str], pc: str | None) -> list[str]:
        """The one name-only organisation holding any of these names, when no identified one holds them."""
        holders = {k for n in names for k in self.by_name.get(normalise_name(n), ())}
        if any(self.entities[k].identified for k in holders):
            return []
        groups = {self.pairs.same(k) for k in holders}
        candidates = sorted(k for k in holders if not (pc and self.entities[k].postal_code
                                                       and self.entities[k].postal_code != pc))
        return candidates[:1] if len(groups) == 1 and len(candidates) == len(holders) else []

    def _check_identified(self, key: str, index: int) -> None:
        """A new identified organisation sharing a name with another is worth an officer's look."""
        entity = self.entities[key]
        for normalised in sorted(entity.names):
            for other in sorted(self.by_name.get(normalised, set()) - {key}):
                theirs = self.entities[other]
                if theirs.identified:
                    self._propose(key, other, 0.8, f"same name {normalised!r}, different identifiers "
                                  f"({', '.join(sorted(entity.identifiers))} / {', '.join(sorted(theirs.identifiers))})", index)
                else:
                    self._propose(key, other, 0.9, f"same name {normalised!r}; one has no identifier", index)
        self._near(entity, index, identified_too=False)

    def _named(self, normalised: str, pc: str | None, index: int, name: str) -> str:
        """A name-only organisation: the one identified organisation of that name, its own earlier node,
        the one organisation of that name, or a new one."""
        holders = self.by_name.get(normalised, set())
        compatible = [k for k in sorted(holders)
                      if not (pc and self.entities[k].postal_code and self.entities[k].postal_code != pc)]
        identified = {self.pairs.same(k) for k in holders if self.entities[k].identified}
        if len(identified) == 1:
            one = [k for k in compatible if self.entities[k].identified]
            if one:
                return min(one)
        own = [k for k in compatible if not self.entities[k].identified]
        groups = {self.pairs.same(k) for k in compatible}
        if own:
            key = min(own, key=lambda k: (self.entities[k].postal_code != pc, k))
        elif len(groups) == 1:
            members = [k for k in compatible if self.pairs.same(k) == next(iter(groups))]
            return min(members, key=lambda k: (not self.entities[k].identified, k))
        else:
            key = self._free_key(normalised, pc)
            self._add(_Entity(key, name, postal_code=pc), [name])
        entity = self.entities[key]
        for other in compatible:
            if other != key and self.entities[other].identified:
                self._propose(key, other, 0.9, f"the name {normalised!r} matches {len(identified)} identified "
                              "organisations", index)
        elsewhere = holders - set(compatible) - {key}
        if elsewhere:  # one proposal, to the first of that name, not one to each
            other = min(elsewhere, key=lambda k: (len(k), k))
            self._propose(key, other, 0.7, f"same name {normalised!r} at another postcode "
                          f"({pc} / {self.entities[other].postal_code})", index)
        if not own and not compatible:
            self._near(entity, index, identified_too=True)
            self._same_postcode(entity, index)
        return key

    def _near(self, entity: _Entity, index: int, identified_too: bool) -> None:
        """Near-identical, cut-short and other-council-form names (never two identified bodies), looked for
        among the names sharing a word with this one."""
        from rapidfuzz import fuzz, process

        for mine in sorted(entity.names):
            names = [n for n in self._candidates(mine) if n not in entity.names]
            hits = process.extract(mine, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
            core = council_core(mine)
            for other_name in names:
                reason, score = None, 0.0
                if len(mine) >= 20 and (other_name.startswith(mine) or mine.startswith(other_name)) and len(other_name) >= 20:
                    reason, score = f"one name looks cut short ({mine!r} / {other_name!r})", 0.85
                elif core and council_core(other_name) == core:
                    reason, score = f"the same council under another name ({mine!r} / {other_name!r})", 0.8
                if reason:
                    self._propose_all(entity, other_name, score, reason, index, identified_too)
            for other_name, ratio, _ in hits:
                self._propose_all(entity, other_name, ratio / 100 * 0.9,
                                  f"similar names ({mine!r} / {other_name!r}, {ratio:.0f}%)", index, identified_too)

    def _propose_all(self, entity: _Entity, other_name: str, score: float, reason: str, index: int,
                     identified_too: bool) -> None:
        for other in sorted(self.by_name[other_name] - {entity.key}):
            if identified_too or not self.entities[other].identified:
                self._propose(entity.key, other, score, reason, index)

    def _same_postcode(self, entity: _Entity, index: int) -> None:
        """A name-only body at another's postcode: a publisher may have put the wrong name on the right address."""
        if not entity.postal_code or "p:" + entity.postal_code in self.crowded:
            return
        others = sorted(self.by_postcode.get(entity.postal_code, set()) - {entity.key})
        if 0 < len(others) <= SHARED_BUILDING:
            for other in others:
                self._propose(entity.key, other, 0.5, f"different names at the same postcode {entity.postal_code}", index)

    # properties ------------------------------------------------------------------------------
    def _props(self, items: list[Item], refs: list[tuple[int, dict[str, Any]]],
               keys: dict[tuple[int, OrgRef], str]) -> dict[tuple[int, OrgRef], dict[str, Any]]:
        """Each placeholder's props: the same name and facts wherever a key recurs, its own aliases."""
        facts: dict[str, dict[str, Any]] = {}
        refs = [(index, node) for index, node in refs if (index, node["identity"]) in keys]
        for index, node in refs:
            ref: OrgRef = node["identity"]
            key = keys[(index, ref)]
            entity = self.entities.get(key)
            stored = (entity.stored if entity else None) or {}
            mine = facts.setdefault(key, {"name": stored.get("name") or (entity.name if entity else ref.record_name) or key})
            offered = {"postal_code": ref.postal_code, "org_type": org_type_of(ref.identifiers), **dict(ref.facts)}
            for name, value in offered.items():
                if value is not None and name not in mine and not stored.get(name):
                    mine[name] = value
        seen: set[tuple[str, str]] = set()
        out: dict[tuple[int, OrgRef], dict[str, Any]] = {}
        for index, node in refs:
            ref = node["identity"]
            key = keys[(index, ref)]
            props = dict(facts[key])
            names = [n for n in (ref.name, *ref.also_named) if n]
            props["aliases"] = names
            if ref.identifiers:
                props["identifiers"] = list(ref.identifiers)
            item = items[index]
            sources = []
            for name in names:
                if (key, name) not in seen:
                    seen.add((key, name))
                    sources.append(f"{name} | {item.provenance.source} | {item.provenance.locator}")
            if sources:
                props["alias_sources"] = sources
            out[(index, ref)] = props
        return out


def _valid_key(identifier: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9:._/\-]{0,199}", identifier))


def _clusters(refs: list[tuple[int, OrgRef]]) -> list[list[tuple[int, OrgRef]]]:
    """Records sharing any identifier are one organisation (in order of first appearance)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, ref in refs:
        for ident in ref.identifiers[1:]:
            a, b = find(ref.identifiers[0]), find(ident)
            if a != b:
                parent[b] = a
    clusters: dict[str, list[tuple[int, OrgRef]]] = {}
    for member in refs:
        clusters.setdefault(find(member[1].identifiers[0]), []).append(member)
    return list(clusters.values())


def _by_postcode(group: list[tuple[int, OrgRef]]) -> dict[str | None, list[tuple[int, OrgRef]]]:
    """Name-only records of one name, split where they give different postcodes."""
    postcodes = list(dict.fromkeys(r.postal_code for _, r in group if r.postal_code))
    split: dict[str | None, list[tuple[int, OrgRef]]] = {}
    for member in group:
        pc = member[1].postal_code or (postcodes[0] if len(postcodes) == 1 else None)
        split.setdefault(pc, []).append(member)
    return split


def decide(store: GraphStore, match: str, status: str, locator: str) -> dict[str, Any]:
    """Record an officer's decision on a match; the pending state stays in its history."""
    if status not in (CONFIRMED, REJECTED):
        raise BadRequest(f"a decision is {CONFIRMED!r} or {REJECTED!r}, not {status!r}")
    rows = ask(store, "possible_matches", status=None, match_id=match)
    if not rows:
        raise NotFound(f"no possible match with id {match!r}", id=match)
    row = rows[0]
    store.upsert(Batch(rels=[RelRecord(type=MATCH, start=row["start"], end=row["end"], props={"status": status},
                                       provenance=Provenance(source="officer review", locator=locator))]))
    return ask(store, "possible_matches", status=None, match_id=match)[0]


def backfill_match_keys(store: GraphStore, batch: int = 2000) -> dict[str, int]:
    """Give every stored organisation its match_keys (organisations stored before they existed, or after
    legal_forms.yaml changed how names normalise). One read of every organisation, so a `store` step run
    once, not a cost on every open; running it again changes nothing."""
    prov = Provenance(source="match keys backfill", locator="graph-service store reindex")
    records = [NodeRecord(label="Organisation", key=row["key"], provenance=prov,  # which derives the keys
                          props={k: row[k] for k in ("name", "aliases", "identifiers", "postal_code") if row[k]})
               for row in ask(store, "organisation_identities")]
    report = {"organisations": len(records), "updated": 0}
    with store.unit() as unit:
        for start in range(0, len(records), batch):
            report["updated"] += unit.upsert(Batch(nodes=records[start:start + batch])).updated
    return report
