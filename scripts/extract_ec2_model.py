#!/usr/bin/env python3
"""Writes the part of botocore's EC2 model that spotfarm's requests use, for the wire tests.

Usage: scripts/extract_ec2_model.py [MODEL] > tests/data/ec2/botocore_ec2_model.json

MODEL is botocore's data/ec2/2016-11-15/service-2.json (or .json.gz); by default the first one
found in the usual places. The output keeps, for each operation spotfarm calls, its input and
output shapes and every shape they reach, with documentation removed: the serialized names
(locationName, queryName), types, enums and required members that the tests check against.
"""
import glob
import gzip
import json
import sys

OPERATIONS = [
    "RunInstances", "DescribeInstances", "TerminateInstances", "DescribeSpotPriceHistory",
    "CreateTags", "CreateFleet", "CreateLaunchTemplate", "DeleteLaunchTemplate",
]
KEEP = {"type", "members", "member", "enum", "required", "shape", "locationName", "queryName",
        "flattened"}
MODEL = "botocore/data/ec2/2016-11-15/service-2.json*"
PLACES = [
    "/usr/lib/python3/dist-packages/" + MODEL,
    "/root/.pyenv/versions/*/lib/python3*/site-packages/" + MODEL,
    "/usr/lib/google-cloud-sdk/lib/third_party/" + MODEL,
]


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def strip(node):
    if not isinstance(node, dict):
        return node
    out = {k: strip(v) for k, v in node.items() if k in KEEP and k != "members"}
    if "members" in node:
        out["members"] = {name: strip(ref) for name, ref in node["members"].items()}
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else next(
        p for pattern in PLACES for p in sorted(glob.glob(pattern)))
    model = load(path)
    shapes, todo, operations = {}, [], {}
    for name in OPERATIONS:
        op = model["operations"][name]
        operations[name] = {k: op[k]["shape"] for k in ("input", "output") if k in op}
        todo.extend(operations[name].values())
    while todo:
        name = todo.pop()
        if name in shapes:
            continue
        shape = strip(model["shapes"][name])
        shapes[name] = shape
        for ref in list(shape.get("members", {}).values()) + [shape.get("member", {})]:
            if "shape" in ref:
                todo.append(ref["shape"])
    json.dump({"source": path, "operations": operations, "shapes": shapes},
              sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")


main()
