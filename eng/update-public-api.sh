#!/usr/bin/env bash
# Brings a project's PublicAPI.Unshipped.txt up to date: adds every public symbol the build reports as
# undeclared (RS0016) and removes declared symbols that no longer exist (RS0017).
# Usage: eng/update-public-api.sh src/MetadataStore
set -euo pipefail
project_dir="${1:?project folder}"
unshipped="$project_dir/PublicAPI.Unshipped.txt"
sarif="$(mktemp --suffix .sarif)"
dotnet build "$project_dir" --no-incremental -p:TreatWarningsAsErrors=false "-p:ErrorLog=$sarif%2Cversion=2.1" > /dev/null 2>&1 || true
python3 - "$sarif" "$unshipped" <<'PY'
import json, sys
sarif, unshipped = sys.argv[1], sys.argv[2]
added, removed = set(), set()
for run in json.load(open(sarif))["runs"]:
    for r in run.get("results", []):
        props = r.get("properties", {}).get("customProperties", {})
        if r["ruleId"] == "RS0016" and "APIName" in props:
            added.add(props["APIName"])
        elif r["ruleId"] == "RS0017":
            text = r["message"]["text"]
            removed.add(text.split("'")[1])
lines = [l.rstrip("\n") for l in open(unshipped) if l.strip() and not l.startswith("#")]
kept = sorted((set(lines) | added) - removed, key=str.lower)
with open(unshipped, "w") as f:
    f.write("#nullable enable\n")
    f.writelines(l + "\n" for l in kept)
print(f"{len(added)} added, {len(removed)} removed, {len(kept)} declared in {unshipped}")
PY
rm -f "$sarif"
