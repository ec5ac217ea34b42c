#!/usr/bin/env bash
# Publishes a minimal-API app that uses AutoTrack (and its testing kit's in-app collector) trimmed, or as Native AOT,
# fails on any trim/AOT warning that names an AutoTrack assembly, then runs the published binary and checks that a
# page visit and a feature_used arrive. Run by .ci/run.
#
#   scripts/publish-smoke.sh          # PublishTrimmed (self-contained, linux-x64)
#   scripts/publish-smoke.sh aot      # PublishAot (needs clang: sudo apt-get install -y clang)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/smoke-lib.sh
mode=${1:-trim}
start_smoke_work

if [ "$mode" = "aot" ]; then publish_property="<PublishAot>true</PublishAot>"; else publish_property="<PublishTrimmed>true</PublishTrimmed>"; fi
cat > "$work/smoke.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <SelfContained>true</SelfContained>
    $publish_property
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/ThriveStack.AutoTrack/ThriveStack.AutoTrack.csproj" />
    <ProjectReference Include="$root/src/ThriveStack.AutoTrack.Testing/ThriveStack.AutoTrack.Testing.csproj" />
  </ItemGroup>
</Project>
XML
write_smoke_program "$work"

cd "$work"
dotnet publish -c Release -o out -nologo > publish.log 2>&1 || { cat publish.log >&2; exit 1; }
if grep -E "warning (IL|CS)[0-9]+" publish.log | grep -i "ThriveStack" >&2; then
    echo "publish-smoke ($mode): AutoTrack produced the warnings above" >&2
    exit 1
fi
echo "publish-smoke ($mode): no trim/AOT warnings from AutoTrack ($(grep -cE 'warning IL[0-9]+' publish.log) in all)"

run_smoke_app "publish-smoke ($mode)" ./out/smoke
