#!/usr/bin/env python3
"""Derives data/geo/countries-110m.geojson from Natural Earth's 1:110m
admin-0 countries (see data/SOURCES.md).  Python 3, standard library only;
neither the build nor the tests run it.

    python3 data/geo/slim_countries.py <shared data folder>/geo/ne_110m_admin_0_countries.geojson \
        data/geo/countries-110m.geojson

Keeps, per feature, ISO_A2 (fixed where Natural Earth writes -99), NAME and
the geometry with coordinates rounded to 3 decimals (about 100 m, far below
the 1:110m scale's precision); features are sorted by ISO_A2 then NAME.
"""
import json
import sys

# Natural Earth writes ISO_A2 = -99 where the unit is not an ISO country of
# its own, or (France, Norway) because of overseas parts.  The 1:110m layer
# has four such features; map them through ADM0_A3.
FIX_BY_ADM0_A3 = {
    "FRA": "FR",   # France
    "NOR": "NO",   # Norway
    "CYN": "CY",   # Northern Cyprus: shown as part of Cyprus (ISO 3166)
    "SOL": "SO",   # Somaliland: shown as part of Somalia (ISO 3166)
}


def rounded(c):
    if isinstance(c, (int, float)):
        return round(float(c), 3)
    return [rounded(x) for x in c]


def main(src, dst):
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for feat in data["features"]:
        p = feat["properties"]
        iso = p.get("ISO_A2") or ""
        if iso in ("-99", "") or len(iso) != 2:
            iso = FIX_BY_ADM0_A3.get(p.get("ADM0_A3"), "")
        if not iso:
            sys.exit("no ISO code for %s (%s): add it to FIX_BY_ADM0_A3" % (p.get("NAME"), p.get("ADM0_A3")))
        g = feat["geometry"]
        out.append({
            "type": "Feature",
            "properties": {"ISO_A2": iso, "NAME": p["NAME"]},
            "geometry": {"type": g["type"], "coordinates": rounded(g["coordinates"])},
        })
    out.sort(key=lambda f: (f["properties"]["ISO_A2"], f["properties"]["NAME"]))
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in out))
        f.write("\n]}\n")
    print("%s: %d features" % (dst, len(out)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
