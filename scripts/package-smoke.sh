#!/usr/bin/env bash
# Packs ThriveStack.AutoTrack and ThriveStack.AutoTrack.Testing, installs them from a local folder source into a new
# web app outside the solution, runs it, and checks that a page view reaches the (in-app) loopback collector.
# Proves the packages work on their own: dependencies, embedded rules, the two-line setup. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
app_pid=""
cleanup() {
    if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A version of its own, so the NuGet cache can never hand the app an older build of the same version.
suffix="smoke.$(date +%s)"
dotnet pack src/ThriveStack.AutoTrack -c Release -o "$work/packages" -p:VersionSuffix="$suffix" -v q -nologo >/dev/null
dotnet pack src/ThriveStack.AutoTrack.Testing -c Release -o "$work/packages" -p:VersionSuffix="$suffix" -v q -nologo >/dev/null
version=$(ls "$work/packages" | sed -n "s/^ThriveStack\.AutoTrack\.\(.*-$suffix\)\.nupkg\$/\1/p" | head -n 1)
echo "packed ThriveStack.AutoTrack $version"

mkdir -p "$work/app"
cd "$work/app"
# The machine's configured feeds (for Microsoft.Data.Sqlite) plus the folder with the fresh packages.
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/packages" />
  </packageSources>
</configuration>
XML
cat > app.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ThriveStack.AutoTrack" Version="$version" />
    <PackageReference Include="ThriveStack.AutoTrack.Testing" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using ThriveStack.AutoTrack.Testing;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddThriveStack(o => { o.FlushInterval = TimeSpan.FromMilliseconds(200); o.Durability = ThriveStack.AutoTrack.EventDurability.Memory; });
var collector = builder.AddThriveStackDevCollector();
var app = builder.Build();
app.UseThriveStackTracking();
app.MapGet("/", () => Results.Content("<!doctype html><title>Home</title><h1>Hello</h1>", "text/html"));
app.MapGet("/received", () => Results.Json(collector.Events.Select(e => e.EventName + " " + e.Property("page_path")).ToArray()));
app.Run();
CS

dotnet build -c Release -v q -nologo
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet bin/Release/net10.0/app.dll --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/received" && break; sleep 0.2; done
curl -fs -o /dev/null -H "Accept: text/html" \
    -A "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" \
    "http://127.0.0.1:$port/"
for _ in $(seq 1 50); do
    received=$(curl -fs "http://127.0.0.1:$port/received")
    if [[ "$received" == *"page_visit /"* ]]; then
        echo "package smoke test passed: the installed packages delivered $received"
        exit 0
    fi
    sleep 0.2
done
echo "package smoke test FAILED: received $received" >&2
cat "$work/app.log" >&2
exit 1
