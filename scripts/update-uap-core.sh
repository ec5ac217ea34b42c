#!/usr/bin/env bash
# Refreshes the vendored ua-parser rule data (uap-core, Apache-2.0) and its official test fixtures from the npm registry.
#   scripts/update-uap-core.sh [version] [uap-core source tree]
#     version: default, the one in src/ThriveStack.AutoTrack/UserAgents/Data/VERSION
#     source tree: a checkout or release archive of github.com/ua-parser/uap-core at that version, for the test fixtures
#       (the npm package has no tests); default ../shared/uap-core-<version>. Its regexes.yaml must equal the npm one.
# Writes:
#   src/ThriveStack.AutoTrack/UserAgents/Data/regexes.yaml   the rules, verbatim
#   src/ThriveStack.AutoTrack/UserAgents/Data/regexes.json   the same rules as JSON (a test checks it equals the YAML)
#   src/ThriveStack.AutoTrack/UserAgents/Data/regexes.table  the rules compiled with their prefilter, embedded in the library
#                                                            (a test checks it is what the compiler makes of the JSON)
#   src/ThriveStack.AutoTrack/UserAgents/Data/LICENSE        uap-core's licence
#   tests/ThriveStack.AutoTrack.Tests/UserAgents/Fixtures/   test_ua.yaml, test_os.yaml, test_device.yaml, verbatim
# Needs node, npm and the .NET SDK.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/src/ThriveStack.AutoTrack/UserAgents/Data"
fixtures="$root/tests/ThriveStack.AutoTrack.Tests/UserAgents/Fixtures"
version="${1:-$(cat "$data/VERSION" 2>/dev/null || echo 0.18.0)}"
source_tree="$(cd "${2:-$root/../shared/uap-core-$version}" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "uap-core@$version" > /dev/null
tar -xzf "uap-core-$version.tgz"
npm install --silent --no-save --no-package-lock js-yaml@4 > /dev/null

mkdir -p "$data" "$fixtures"
cp package/regexes.yaml "$data/regexes.yaml"
cp package/LICENSE "$data/LICENSE"
node -e '
  const yaml = require("js-yaml"), fs = require("fs");
  const doc = yaml.load(fs.readFileSync(process.argv[1], "utf8"));
  fs.writeFileSync(process.argv[2], JSON.stringify(doc) + "\n");
' package/regexes.yaml "$data/regexes.json"
cmp -s package/regexes.yaml "$source_tree/regexes.yaml" || { echo "regexes.yaml in $source_tree differs from uap-core@$version on npm" >&2; exit 1; }
for f in test_ua test_os test_device; do
  cp "$source_tree/tests/$f.yaml" "$fixtures/$f.yaml"
done
echo "$version" > "$data/VERSION"
dotnet run -c Release --project "$root/tests/ThriveStack.AutoTrack.Benchmarks" -- uap-table "$data/regexes.json" "$data/regexes.table"
echo "uap-core $version vendored into $data and $fixtures"
