"""Derive graph_service/ingest/data/local_authorities.csv from the published registers.

    python scripts/derive_local_authorities.py ../shared/data/real/identifiers

Sources (see graph_service/ingest/data/README.md for credits): mySociety's
uk_local_authority_names_and_codes (CC BY 4.0) for codes, names, spelling variants, GSS
codes current and former, SNAC and old ONS codes; the GOV.UK local-authority registers
(OGL v3) for the official names they add.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "graph_service" / "ingest" / "data" / "local_authorities.csv"
SCHEME = {"England": "GB-LAE", "Scotland": "GB-LAS", "Northern Ireland": "GB-LANI", "Wales": "GB-PLA"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(root: Path) -> None:
    mysociety, registers = root / "mysociety-uk-la-names-codes", root / "govuk-registers"
    authorities = {r["local-authority-code"]: r for r in _read(mysociety / "uk_local_authorities.csv")}
    names: dict[str, list[str]] = {code: [r["official-name"], r["nice-name"], *r["alt-names"].split(",")]
                                   for code, r in authorities.items()}
    gss: dict[str, list[str]] = {code: [r["gss-code"], *r["former-gss-codes"].split(",")] for code, r in authorities.items()}
    for row in _read(mysociety / "lookup_name_to_registry.csv"):
        names.setdefault(row["local-authority-code"], []).append(row["la-name"])
    for row in _read(mysociety / "lookup_gss_to_registry.csv"):
        gss.setdefault(row["local-authority-code"], []).append(row["gss-code"])
    for register in ("local-authority-eng", "local-authority-sct", "local-authority-nir", "principal-local-authority"):
        for row in _read(registers / f"{register}.csv"):
            names.setdefault(row["key"], []).extend(v for v in (row.get("name"), row.get("official-name")) if v)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["code", "official_name", "names", "gss", "snac", "ons", "slug", "end_date", "replaced_by"])
        for code, r in sorted(authorities.items()):
            spelt = sorted({n.strip().lower(): n.strip() for n in reversed(names[code]) if n.strip()}.values())
            spelt = [n for n in spelt if n.lower() != r["official-name"].lower()]
            codes = sorted({g.strip() for g in gss[code] if g.strip()})
            replaced = authorities.get(r["replaced-by"])
            out.writerow([f"{SCHEME[r['nation']]}-{code}", r["official-name"], "|".join(spelt), "|".join(codes),
                          r["snac"], r["old-ons-la-code"], r["gov-uk-slug"], r["end-date"],
                          f"{SCHEME[replaced['nation']]}-{replaced['local-authority-code']}" if replaced else ""])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
