#!/usr/bin/env python3
"""Writes tests/fixtures/openapi/*.json: the parts of Confluent's official OpenAPI specs that
tests/provider/openapi-annotations.test.ts reads (request bodies of POST/PATCH/PUT, the 200 body of GET,
and the component schemas they reference), stripped to the members the test needs.

Usage: python3 scripts/openapi-subset.py <folder with the upstream specs> [<output folder>]
(needs PyYAML). See tests/fixtures/openapi/README.md for where the upstream files come from.

Each path is taken from exactly one upstream document: the newest that has it (SOURCES below says which).
"""
import json
import os
import sys

import yaml

# (upstream file, its date, the paths to keep). Each path appears once: the newest document holding it.
SOURCES = [
    (
        "iam_v2.yaml",
        "2025-01",
        [
            "/iam/v2/users",
            "/iam/v2/users/{id}",
            "/iam/v2/service-accounts",
            "/iam/v2/service-accounts/{id}",
            "/iam/v2/invitations",
            "/iam/v2/invitations/{id}",
        ],
    ),
    (
        "iam-ip-filtering_v2.yaml",
        "2025-01",
        ["/iam/v2/ip-groups", "/iam/v2/ip-groups/{id}", "/iam/v2/ip-filters", "/iam/v2/ip-filters/{id}"],
    ),
    (
        "identity-provider_v2.yaml",
        "2025-01",
        [
            "/iam/v2/identity-providers",
            "/iam/v2/identity-providers/{id}",
            "/iam/v2/identity-providers/{provider_id}/identity-pools",
            "/iam/v2/identity-providers/{provider_id}/identity-pools/{id}",
        ],
    ),
    (
        "certificate-authority_v2.yaml",
        "2025-04",
        [
            "/iam/v2/certificate-authorities",
            "/iam/v2/certificate-authorities/{id}",
            "/iam/v2/certificate-authorities/{certificate_authority_id}/identity-pools",
            "/iam/v2/certificate-authorities/{certificate_authority_id}/identity-pools/{id}",
        ],
    ),
    ("byok_v1.yaml", "2025-09", ["/byok/v1/keys", "/byok/v1/keys/{id}"]),
    ("provider-integration_v1.yaml", "2024-09", ["/pim/v1/integrations", "/pim/v1/integrations/{id}"]),
    ("provider-integration_v2.yaml", "2025-08", ["/pim/v2/integrations", "/pim/v2/integrations/{id}"]),
    # The aggregated Dec-2023 spec is newer than apikeys_v2.yaml (2022-08), mds_v2.yaml (2022-02) and
    # sso_v2.yaml (2023-08), so API keys, role bindings and SSO group mappings come from it.
    (
        "ccloud-openapi-2023-12.iam-byok.subset.json",
        "2023-12",
        [
            "/iam/v2/api-keys",
            "/iam/v2/api-keys/{id}",
            "/iam/v2/role-bindings",
            "/iam/v2/role-bindings/{id}",
            "/iam/v2/sso/group-mappings",
            "/iam/v2/sso/group-mappings/{id}",
        ],
    ),
]

# The schema members the test reads; everything else (descriptions, examples, limits) is dropped.
KEEP = ("$ref", "allOf", "oneOf", "anyOf", "properties", "items", "type", "readOnly", "x-immutable")


def prune(schema):
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key in KEEP:
        if key not in schema:
            continue
        value = schema[key]
        if key in ("allOf", "oneOf", "anyOf"):
            value = [prune(s) for s in value]
        elif key == "properties":
            value = {name: prune(s) for name, s in value.items()}
        elif key == "items":
            value = prune(value)
        out[key] = value
    return out


def refs(schema, found):
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref":
                found.add(value.split("/")[-1])
            else:
                refs(value, found)
    elif isinstance(schema, list):
        for value in schema:
            refs(value, found)


def json_schema(body):
    return prune(((body or {}).get("content") or {}).get("application/json", {}).get("schema"))


def subset(doc, name, date, paths):
    out_paths = {}
    for path in paths:
        ops = doc["paths"][path]
        kept = {}
        for method in ("post", "patch", "put"):
            if method in ops and "requestBody" in ops[method]:
                kept[method] = {"requestBody": json_schema(ops[method]["requestBody"])}
            elif method in ops:
                kept[method] = {}
        if "get" in ops:
            kept["get"] = {"response": json_schema(ops["get"]["responses"].get("200"))}
        if "delete" in ops:
            kept["delete"] = {}
        out_paths[path] = kept
    schemas = doc["components"]["schemas"]
    wanted, done = set(), set()
    refs(out_paths, wanted)
    while wanted - done:
        ref = sorted(wanted - done)[0]
        done.add(ref)
        refs(prune(schemas[ref]), wanted)
    return {
        "x-source": name,
        "x-source-date": date,
        "x-source-version": doc.get("info", {}).get("version"),
        "paths": out_paths,
        "components": {"schemas": {ref: prune(schemas[ref]) for ref in sorted(done)}},
    }


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: openapi-subset.py <upstream spec folder> [<output folder>]")
    src = sys.argv[1]
    dest = sys.argv[2] if len(sys.argv) > 2 else os.path.join("tests", "fixtures", "openapi")
    os.makedirs(dest, exist_ok=True)
    for name, date, paths in SOURCES:
        with open(os.path.join(src, name), encoding="utf-8") as f:
            doc = json.load(f) if name.endswith(".json") else yaml.safe_load(f)
        base = name[: -len(".json")] if name.endswith(".json") else name[: -len(".yaml")]
        with open(os.path.join(dest, base + ".json"), "w", encoding="utf-8") as f:
            json.dump(subset(doc, name, date, paths), f, indent=2, sort_keys=False)
            f.write("\n")


if __name__ == "__main__":
    main()
