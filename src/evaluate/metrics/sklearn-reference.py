"""Reference values from scikit-learn for sklearn-reference.test.ts.

Usage: /usr/bin/python3 sklearn-reference.py cases.json  (prints JSON on stdout)

Reads {"classification": [case...], "regression": [case...]} where a classification case is
{"classes": k, "actual": [...], "predicted": [...], "probabilities": [[...], ...] | null,
"positiveClass": int, "bins": int} and a regression case {"actual": [...], "predicted": [...]}.
"""
import json
import sys

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_fscore_support,
    r2_score,
    roc_auc_score,
    roc_curve,
)


def classification(case):
    k, pos = case["classes"], case["positiveClass"]
    labels = list(range(k))
    y, pred = np.array(case["actual"]), np.array(case["predicted"])
    average = dict(average="binary", pos_label=pos) if k == 2 else dict(average="macro")
    p, r, f, _ = precision_recall_fscore_support(
        y, pred, labels=labels, zero_division=0, **average
    )
    per = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    result = {
        "accuracy": accuracy_score(y, pred),
        "precision": p,
        "recall": r,
        "f1": f,
        "perClass": [list(map(float, values)) for values in per],
        "confusionMatrix": confusion_matrix(y, pred, labels=labels).tolist(),
    }
    if case["probabilities"] is not None:
        result.update(with_probabilities(case, y, np.array(case["probabilities"])))
    return result


def with_probabilities(case, y, probs):
    k, pos, bins = case["classes"], case["positiveClass"], case["bins"]
    labels = list(range(k))
    if k == 2:
        auc = roc_auc_score(y == pos, probs[:, pos])
        truth, scores = (y == pos).astype(int), probs[:, pos]
    else:
        auc = roc_auc_score(y, probs, multi_class="ovr", average="macro", labels=labels)
        truth, scores = (probs.argmax(axis=1) == y).astype(int), probs.max(axis=1)
    prob_true, prob_pred = calibration_curve(truth, scores, n_bins=bins, strategy="uniform")
    # calibration_curve does not return counts; these are the bincount it divides by.
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], scores), minlength=bins)
    curves = {}
    for c in [pos] if k == 2 else labels:
        fpr, tpr, thresholds = roc_curve(y == c, probs[:, c], drop_intermediate=False)
        curves[str(c)] = [fpr.tolist(), tpr.tolist(), thresholds.tolist()]
    return {
        "rocAuc": auc,
        "logLoss": log_loss(y, probs, labels=labels),
        "calibration": [prob_true.tolist(), prob_pred.tolist(), counts[counts > 0].tolist()],
        "roc": curves,
    }


def regression(case):
    y, pred = np.array(case["actual"]), np.array(case["predicted"])
    return {
        "rmse": float(np.sqrt(mean_squared_error(y, pred))),
        "mae": mean_absolute_error(y, pred),
        "r2": r2_score(y, pred),
    }


def main():
    with open(sys.argv[1]) as file:
        cases = json.load(file)
    result = {
        "classification": [classification(case) for case in cases["classification"]],
        "regression": [regression(case) for case in cases["regression"]],
    }
    json.dump(result, sys.stdout, default=float)


if __name__ == "__main__":
    main()
