"""Reference values from scipy for scipy-reference.test.ts.

Usage: /usr/bin/python3 scipy-reference.py cases.json  (prints JSON on stdout)

Reads {"ks": [{"a", "b"}], "kstwo": [{"n", "d"}], "chi2sf": [{"x", "df"}],
"chisquare": [{"reference", "current"}], "jensenshannon": [{"reference", "current"}],
"psi": [{"reference", "current", "bins"}]} where the categorical cases hold {category: count}.
chisquare, jensenshannon and psi prepare their inputs the way Evidently's stattests do
(evidently/legacy/calculations/stattests/{chisquare_stattest,jensenshannon,psi,utils}.py);
Evidently itself is not installed, so its binning is restated here with numpy.
"""
import json
import sys

import numpy as np
from scipy.spatial import distance
from scipy.stats import chi2, chisquare, ks_2samp, kstwo


def aligned(case):
    keys = sorted(set(case["reference"]) | set(case["current"]))
    ref = np.array([case["reference"].get(k, 0) for k in keys], dtype=float)
    cur = np.array([case["current"].get(k, 0) for k in keys], dtype=float)
    return ref, cur


def evidently_chisquare(case):
    ref, cur = aligned(case)
    result = chisquare(cur, ref * (cur.sum() / ref.sum()))
    return {"statistic": result.statistic, "pValue": result.pvalue}


def evidently_jensenshannon(case):
    ref, cur = aligned(case)
    return distance.jensenshannon(ref / ref.sum(), cur / cur.sum())


def fill_zeroes(shares):
    smallest = shares[shares != 0].min()
    np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)


def evidently_psi(case):
    ref, cur = np.array(case["reference"]), np.array(case["current"])
    if len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins=case.get("bins") or "sturges")
        ref_shares = np.histogram(ref, bins)[0] / len(ref)
        cur_shares = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(ref) | set(cur))
        ref_shares = np.array([np.sum(ref == k) / len(ref) for k in keys])
        cur_shares = np.array([np.sum(cur == k) / len(cur) for k in keys])
    fill_zeroes(ref_shares)
    fill_zeroes(cur_shares)
    return float(np.sum((ref_shares - cur_shares) * np.log(ref_shares / cur_shares)))


def ks(case):
    result = ks_2samp(case["a"], case["b"])
    return {"statistic": result.statistic, "pValue": result.pvalue}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    result = {
        "ks": [ks(c) for c in cases["ks"]],
        "kstwo": [kstwo.sf(c["d"], c["n"]) for c in cases["kstwo"]],
        "chi2sf": [chi2.sf(c["x"], c["df"]) for c in cases["chi2sf"]],
        "chisquare": [evidently_chisquare(c) for c in cases["chisquare"]],
        "jensenshannon": [evidently_jensenshannon(c) for c in cases["jensenshannon"]],
        "psi": [evidently_psi(c) for c in cases["psi"]],
    }
    json.dump(result, sys.stdout, default=float)


if __name__ == "__main__":
    main()
