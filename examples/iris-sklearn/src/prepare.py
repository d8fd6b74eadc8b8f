"""Stage `prepare`: data/iris.csv -> data/train.csv, data/test.csv.

A stratified split: each species is shuffled with the seed from params.yaml and its first
`test_ratio` share held out. Rows are copied as text, so no number is reformatted on the way.
Uses only the standard library; random.Random(seed).shuffle gives the same order on every
Python 3 version, so the split is the same on every machine.
"""

import csv
import random
import sys

try:
    import yaml
except ImportError as error:
    sys.exit(f"prepare: {error}. Install PyYAML for /usr/bin/python3: apt-get install python3-yaml")

SOURCE = "data/iris.csv"
LABEL = "species"


def read_params():
    with open("params.yaml", encoding="utf-8") as f:
        prepare = (yaml.safe_load(f) or {}).get("prepare") or {}
    seed, ratio = prepare.get("seed"), prepare.get("test_ratio")
    if not isinstance(seed, int):
        sys.exit("params.yaml: prepare.seed must be an integer")
    if not isinstance(ratio, (int, float)) or not 0 < ratio < 1:
        sys.exit("params.yaml: prepare.test_ratio must be a number between 0 and 1")
    return seed, ratio


def split(rows, seed, ratio):
    rng = random.Random(seed)
    train, test = [], []
    for species in sorted({row[LABEL] for row in rows}):
        group = [row for row in rows if row[LABEL] == species]
        rng.shuffle(group)
        held_out = round(len(group) * ratio)
        test += group[:held_out]
        train += group[held_out:]
    return train, test


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main():
    seed, ratio = read_params()
    with open(SOURCE, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    train, test = split(rows, seed, ratio)
    write("data/train.csv", header, train)
    write("data/test.csv", header, test)
    print(f"prepare: {len(train)} train rows, {len(test)} test rows (seed {seed})")


if __name__ == "__main__":
    main()
