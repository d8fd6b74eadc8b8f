"""Stage `train`: data/train.csv -> model/model.onnx (+ scikit-learn's own test predictions).

Fits scikit-learn's StandardScaler + multinomial LogisticRegression and writes the fitted
numbers as an ONNX graph with onnx.helper, computing in float64 as scikit-learn does:

  features [N,4] FP32 -> Cast(f64) -> Sub(mean) -> Div(scale) -> MatMul(coef^T) -> Add(intercept)
    -> logits -> ArgMax -> label [N] INT64 (index into the `classes` metadata)
    -> logits -> Softmax -> Cast(f32) -> probabilities [N,3] FP32

It also writes what scikit-learn itself predicts for data/test.csv to
model/sklearn-predictions.csv, so anyone can check the ONNX file against it, and the train and
test accuracy to metrics.json. Deterministic: lbfgs starts from zeros, weft runs this stage with
one BLAS thread, and the file holds no timestamp, so the same data and params give the same bytes.
"""

import csv
import json
import os
import sys

try:
    import numpy as np
    import yaml
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
except ImportError as error:
    sys.exit(
        f"train: {error}. Install scikit-learn and onnx for /usr/bin/python3: "
        "apt-get install python3-sklearn python3-onnx python3-yaml (Debian packages)"
    )

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
LABEL = "species"
MODEL = "model/model.onnx"
PREDICTIONS = "model/sklearn-predictions.csv"


def read_params():
    with open("params.yaml", encoding="utf-8") as f:
        train = (yaml.safe_load(f) or {}).get("train") or {}
    c, max_iter = train.get("C"), train.get("max_iter")
    if not isinstance(c, (int, float)) or c <= 0:
        sys.exit("params.yaml: train.C must be a positive number")
    if not isinstance(max_iter, int) or max_iter < 1:
        sys.exit("params.yaml: train.max_iter must be a positive integer")
    return float(c), max_iter


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    features = np.array([[float(row[name]) for name in FEATURES] for row in rows])
    return features, np.array([row[LABEL] for row in rows])


def fit(features, labels, c, max_iter):
    model = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=c, max_iter=max_iter, random_state=0),
    )
    return model.fit(features, labels)


def f64(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.float64), name)


def build_onnx(model):
    scaler, classifier = model[0], model[-1]
    classes = [str(name) for name in classifier.classes_]
    nodes = [
        helper.make_node("Cast", ["features"], ["x"], to=TensorProto.DOUBLE, name="cast"),
        helper.make_node("Sub", ["x", "mean"], ["centered"], name="center"),
        helper.make_node("Div", ["centered", "scale"], ["scaled"], name="scale"),
        helper.make_node("MatMul", ["scaled", "coefficients"], ["projected"], name="project"),
        helper.make_node("Add", ["projected", "intercept"], ["logits"], name="shift"),
        helper.make_node("ArgMax", ["logits"], ["label"], axis=1, keepdims=0, name="argmax"),
        helper.make_node("Softmax", ["logits"], ["probabilities_f64"], axis=1, name="softmax"),
        helper.make_node("Cast", ["probabilities_f64"], ["probabilities"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(
        nodes,
        "iris_logistic_regression",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", len(FEATURES)])],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(classes)]),
        ],
        [
            f64("mean", scaler.mean_),
            f64("scale", scaler.scale_),
            f64("coefficients", classifier.coef_.T),
            f64("intercept", classifier.intercept_),
        ],
        doc_string="Raw features in this column order: " + ", ".join(FEATURES) + ".",
    )
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 13)],
        producer_name="weft-example-iris-sklearn",
        ir_version=8,
    )
    helper.set_model_props(
        onnx_model,
        {"feature_names": json.dumps(FEATURES), "classes": json.dumps(classes), "label": LABEL},
    )
    onnx.checker.check_model(onnx_model)
    return onnx_model


def write_predictions(model, features):
    classes = list(model.classes_)
    labels = [classes.index(name) for name in model.predict(features)]
    with open(PREDICTIONS, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["label"] + [f"p_{name}" for name in classes])
        for label, p in zip(labels, model.predict_proba(features)):
            writer.writerow([label] + [repr(float(v)) for v in p])


def main():
    c, max_iter = read_params()
    train_x, train_y = read_csv("data/train.csv")
    test_x, test_y = read_csv("data/test.csv")
    model = fit(train_x, train_y, c, max_iter)
    os.makedirs("model", exist_ok=True)
    with open(MODEL, "wb") as f:
        f.write(build_onnx(model).SerializeToString())
    write_predictions(model, test_x)
    metrics = {
        "train_accuracy": round(float(model.score(train_x, train_y)), 6),
        "test_accuracy": round(float(model.score(test_x, test_y)), 6),
    }
    with open("metrics.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(metrics, indent=2) + "\n")
    print(f"train: {len(train_y)} rows, test accuracy {metrics['test_accuracy']}, wrote {MODEL}")


if __name__ == "__main__":
    main()
