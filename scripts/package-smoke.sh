#!/usr/bin/env bash
# Packs ThriveStack.AutoTrack and ThriveStack.AutoTrack.Testing, installs them from a local folder source into a new
# web app outside the solution, runs it, and checks that a page view and a feature use reach the in-app collector.
# Proves the packages work on their own: dependencies, embedded rules, the two-line setup. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/smoke-lib.sh
start_smoke_work

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
write_smoke_program .
dotnet build -c Release -v q -nologo
run_smoke_app "package smoke test" dotnet bin/Release/net10.0/app.dll
