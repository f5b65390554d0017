#!/usr/bin/env python3
"""gen_name_pairs.py - builds tests/names/pairs.csv, the evaluation set of
labelled name pairs (same person / different person) for the name matcher.

Deterministic (fixed seed, no input but the reference tables of
tests/names/): run from the repository root,

    python3 tools/gen_name_pairs.py > tests/names/pairs.csv

People are drawn from the reference tables (Khmer, Thai, Lao, Chinese,
Vietnamese family and given names with their published romanisations and
common spellings).  A "same" pair writes one person twice, each time
in a way officers write names: native script or one of the listed Latin
spellings, family name first or last, upper-case family name, syllables
joined or split, a one-letter typo, a dropped middle name or "Srey" prefix.
A "different" pair writes two people who share a family name, or a given
name, or whose names are close (one letter or one syllable apart), or who
have nothing in common, with the same kinds of variation.  Columns: a, b,
same (1/0), how (what was applied, ';'-separated).
"""
import csv
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
NAMES = os.path.join(ROOT, "tests", "names")
SEED = 20240517


def read(name):
    with open(os.path.join(NAMES, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def spellings(*fields):
    out = []
    for f in fields:
        for s in (f or "").split(";"):
            s = s.strip()
            if s and s not in out:
                out.append(s)
    return out


class Part:
    """One name part: native form and Latin spellings (first is usual)."""

    def __init__(self, native, latin, script):
        self.native, self.latin, self.script = native, latin, script


def load():
    parts = {}
    km = read("khmer_names.csv")
    parts["khmer"] = {
        "family": [Part(r["khmer"], spellings(r["latin"]), "khmer") for r in km if r["kind"] == "family"],
        "given": [Part(r["khmer"], spellings(r["latin"]), "khmer") for r in km if r["kind"] == "given"],
    }
    th = read("thai_names.csv")
    parts["thai"] = {
        k: [Part(r["thai"], spellings(r["rtgs"], r["other"]), "thai") for r in th if r["kind"] == k]
        for k in ("family", "given")
    }
    lo = read("lao_names.csv")
    parts["lao"] = {
        k: [Part(r["lao"], spellings(r["bgn_pcgn"], r["other"]), "lao") for r in lo if r["kind"] == k]
        for k in ("family", "given")
    }
    zh = read("chinese_names.csv")
    parts["chinese"] = {
        k: [Part(r["hanzi"], spellings(r["pinyin"], r["other"]), "chinese") for r in zh if r["kind"] == k]
        for k in ("family", "given")
    }
    vi = read("vietnamese_names.csv")
    parts["vietnamese"] = {
        k: [Part(r["vietnamese"], [r["vietnamese"], r["ascii"]], "vietnamese") for r in vi if r["kind"] == k]
        for k in ("family", "middle", "given")
    }
    return parts


def typo(rng, word):
    """One substitution, deletion, insertion or transposition, not on the
    first letter (officers rarely mistype the first letter of a name)."""
    if len(word) < 5:
        return None
    i = rng.randrange(1, len(word))
    kind = rng.choice(["sub", "del", "ins", "swap"])
    letters = "aeiounmhkt"
    if kind == "sub":
        c = rng.choice([x for x in letters if x != word[i].lower()])
        return word[:i] + c + word[i + 1:]
    if kind == "del":
        return word[:i] + word[i + 1:]
    if kind == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    if i + 1 >= len(word):
        i -= 1
    if i < 1:
        return None
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


class Person:
    def __init__(self, culture, family, given, middle=None):
        self.culture, self.family, self.given, self.middle = culture, family, given, middle


def render(rng, p, how, allow_native=True, variation=True):
    """Writes person p one way; appends what was done to how."""
    c = p.culture
    native_ok = allow_native and c != "vietnamese"
    if native_ok and rng.random() < 0.3:
        how.append(c + " script")
        if c == "chinese":
            return p.family.native + p.given.native
        if c in ("thai", "lao"):
            return p.given.native + " " + p.family.native
        return p.family.native + " " + p.given.native
    if c == "vietnamese":
        fam = p.family.latin[rng.randrange(2)]
        mid = p.middle.latin[0 if fam == p.family.latin[0] else 1] if p.middle else None
        giv = p.given.latin[0 if fam == p.family.latin[0] else 1]
        if fam != p.family.latin[0]:
            how.append("no diacritics")
        words = [fam] + ([mid] if mid else []) + [giv]
        if variation and mid and rng.random() < 0.25:
            words = [fam, giv]
            how.append("middle name dropped")
        if variation and rng.random() < 0.3:
            words = words[-1:] + words[:-1]
            how.append("given name first")
    else:
        fi = 0 if rng.random() < 0.6 else rng.randrange(len(p.family.latin))
        gi = 0 if rng.random() < 0.6 else rng.randrange(len(p.given.latin))
        fam, giv = p.family.latin[fi], p.given.latin[gi]
        if fi or gi:
            how.append("spelling variant")
        if variation and c == "khmer" and giv.startswith("Srey") and len(giv) > 5 and rng.random() < 0.3:
            giv = giv[4:].strip().capitalize()
            how.append("Srey dropped")
        if variation and " " not in giv and len(giv) >= 6 and rng.random() < 0.15:
            cut = len(giv) // 2
            while cut < len(giv) - 2 and giv[cut].lower() in "aeiouy":
                cut += 1
            giv = giv[:cut] + " " + giv[cut:].capitalize()
            how.append("given name split")
        elif " " in giv and rng.random() < 0.5:
            giv = giv.replace(" ", "")
            giv = giv[0] + giv[1:].lower()
            how.append("given name joined")
        family_first = c in ("khmer", "chinese")
        if variation and rng.random() < 0.35:
            family_first = not family_first
            how.append("order swapped")
        words = [fam, giv] if family_first else [giv, fam]
    if variation and rng.random() < 0.15:
        k = rng.randrange(len(words))
        t = typo(rng, words[k])
        if t:
            words[k] = t
            how.append("typo")
    style = rng.random()
    if style < 0.25:
        words = [w.upper() for w in words]
    elif style < 0.4:
        words = [w.lower() for w in words]
    return " ".join(words)


def close(a, b):
    """Edit distance of two strings (small)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def random_person(rng, parts, culture):
    t = parts[culture]
    fam = rng.choice(t["family"])
    giv = rng.choice(t["given"])
    mid = rng.choice(t["middle"]) if culture == "vietnamese" else None
    return Person(culture, fam, giv, mid)


def neighbour(rng, pool, part):
    """A different part of the pool whose usual spelling is close."""
    base = part.latin[0].lower()
    near = [q for q in pool if q is not part and q.native != part.native and
            close(q.latin[0].lower(), base) <= max(1, len(base) // 3)]
    return rng.choice(near) if near else None


def main():
    rng = random.Random(SEED)
    parts = load()
    cultures = ["khmer"] * 5 + ["chinese"] * 2 + ["vietnamese"] * 2 + ["thai"] * 2 + ["lao"]
    rows = []
    seen = set()

    def add(a, b, same, how):
        key = (a, b)
        if a == b or key in seen or (b, a) in seen:
            return False
        seen.add(key)
        rows.append([a, b, str(same), ";".join(how) or "as written"])
        return True

    n_same = n_diff = 0
    while n_same < 1300:
        c = rng.choice(cultures)
        p = random_person(rng, parts, c)
        how_a, how_b = [], []
        a = render(rng, p, how_a, variation=False)
        b = render(rng, p, how_b)
        how = ["same person"] + (["a: " + ", ".join(how_a)] if how_a else []) + \
            (["b: " + ", ".join(how_b)] if how_b else [])
        if add(a, b, 1, how):
            n_same += 1
    kinds = ["same family, other given", "same given, other family", "close family",
             "close given", "unrelated"]
    while n_diff < 1300:
        c = rng.choice(cultures)
        p = random_person(rng, parts, c)
        t = parts[c]
        kind = rng.choice(kinds)
        q = Person(c, p.family, p.given, p.middle)
        if kind == "same family, other given":
            q.given = rng.choice([g for g in t["given"] if g.native != p.given.native])
        elif kind == "same given, other family":
            q.family = rng.choice([f for f in t["family"] if f.native != p.family.native])
        elif kind == "close family":
            f = neighbour(rng, t["family"], p.family)
            if not f:
                continue
            q.family = f
        elif kind == "close given":
            g = neighbour(rng, t["given"], p.given)
            if not g:
                continue
            q.given = g
        else:
            q = random_person(rng, parts, c)
            if q.family.native == p.family.native or q.given.native == p.given.native:
                continue
        how_a, how_b = [], []
        a = render(rng, p, how_a, variation=False)
        b = render(rng, q, how_b)
        how = ["different person: " + kind] + (["a: " + ", ".join(how_a)] if how_a else []) + \
            (["b: " + ", ".join(how_b)] if how_b else [])
        if add(a, b, 0, how):
            n_diff += 1
    rng.shuffle(rows)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["a", "b", "same", "how"])
    w.writerows(rows)


if __name__ == "__main__":
    main()
