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
mode=${1:-trim}
work=$(mktemp -d)
app_pid=""
cleanup() {
    if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

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
cat > "$work/Program.cs" <<'CS'
using ThriveStack.AutoTrack.Testing;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddThriveStack(o => { o.FlushInterval = TimeSpan.FromMilliseconds(200); o.Durability = ThriveStack.AutoTrack.EventDurability.Memory; });
var collector = builder.AddThriveStackDevCollector();
var app = builder.Build();
app.UseThriveStackTracking();
app.MapGet("/", () => Results.Content("<!doctype html><title>Home</title><h1>Hello</h1>", "text/html"));
app.MapPost("/export", () => Results.Ok()).TrackFeature("export_report");
app.MapGet("/received", () => Results.Text(string.Join(",", collector.Events.Select(e => e.EventName))));
app.Run();
CS

cd "$work"
dotnet publish -c Release -o out -nologo > publish.log 2>&1 || { cat publish.log >&2; exit 1; }
if grep -E "warning (IL|CS)[0-9]+" publish.log | grep -i "ThriveStack" >&2; then
    echo "publish-smoke ($mode): AutoTrack produced the warnings above" >&2
    exit 1
fi
echo "publish-smoke ($mode): no trim/AOT warnings from AutoTrack ($(grep -cE 'warning IL[0-9]+' publish.log) in all)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./out/smoke --urls "http://127.0.0.1:$port" > app.log 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/received" && break; sleep 0.1; done
curl -fs -o /dev/null -H "Accept: text/html" \
    -A "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" \
    "http://127.0.0.1:$port/"
curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/export"
received=""
for _ in $(seq 1 50); do
    received=$(curl -fs "http://127.0.0.1:$port/received")
    if [[ "$received" == *page_visit* && "$received" == *feature_used* ]]; then
        echo "publish-smoke ($mode): the published app delivered: $received"
        exit 0
    fi
    sleep 0.2
done
echo "publish-smoke ($mode) FAILED: received '$received'" >&2
cat app.log >&2
exit 1
