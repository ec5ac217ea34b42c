#!/usr/bin/env bash
# Packs ThriveStack.AutoTrack and ThriveStack.AutoTrack.Testing and installs them from a local folder, outside the
# solution, the way a user would. Run by .ci/run.
#  1. A minimal-API app with the testing kit's in-app collector: a page view and a feature use reach the collector.
#  2. The README's quickstart, followed literally in fresh `dotnet new webapp` and `dotnet new blazor` apps: the install
#     line and the Program.cs printed there (checked against what the templates generate today, so a template change
#     shows up here), one tracked feature as printed; `dotnet run`, then a page view (with the template page's title)
#     and a feature_used reach the events page. Before Program.cs is changed, the webapp with the feature attribute
#     must refuse to start, saying to call AddThriveStack().
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/smoke-lib.sh
start_smoke_work

# A package cache of its own: the packages are packed with their real version, which must never come from an older
# run's cache.
export NUGET_PACKAGES="$work/nuget-packages"
dotnet pack src/ThriveStack.AutoTrack -c Release -o "$work/packages" -v q -nologo >/dev/null
dotnet pack src/ThriveStack.AutoTrack.Testing -c Release -o "$work/packages" -v q -nologo >/dev/null
version=$(ls "$work/packages" | sed -n 's/^ThriveStack\.AutoTrack\.\([0-9][^a-zA-Z]*[0-9]\)\.nupkg$/\1/p' | head -n 1)
echo "packed ThriveStack.AutoTrack $version"

# The machine's configured feeds (for Microsoft.Data.Sqlite) plus the folder with the fresh packages.
write_nuget_config() {
    cat > "$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/packages" />
  </packageSources>
</configuration>
XML
}

# ---- 1. minimal API with the testing kit ----
mkdir -p "$work/app"
write_nuget_config "$work/app"
cat > "$work/app/app.csproj" <<XML
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
write_smoke_program "$work/app"
(cd "$work/app" && dotnet build -c Release -v q -nologo)
cd "$work/app"
run_smoke_app "package smoke test" dotnet bin/Release/net10.0/app.dll
stop_smoke_app
cd "$root"

# ---- 2. the README's quickstart in today's templates ----
readme_block() { python3 "$root/scripts/readme-block.py" "$@"; }

quickstart() {
    local template=$1
    local dir="$work/quickstart-$template/MyApp"
    echo "quickstart ($template): dotnet new $template -n MyApp"
    dotnet new "$template" -n MyApp -o "$dir" >/dev/null
    write_nuget_config "$dir"
    cd "$dir"

    # The install line, as printed.
    local install
    install=$(readme_block quickstart:install)
    echo "quickstart ($template): $install"
    eval "$install" >/dev/null

    # The README's Program.cs without AutoTrack's lines must be the template's own: the placement shown is today's.
    if ! diff --strip-trailing-cr <(readme_block --without-marked "quickstart:program:$template") Program.cs; then
        echo "quickstart ($template) FAILED: the README's Program.cs no longer matches 'dotnet new $template' (diff above)" >&2
        return 1
    fi

    # One tracked feature, as printed.
    if [ "$template" = webapp ]; then
        local attribute
        attribute=$(readme_block quickstart:feature:page | grep '^\[TrackFeature')
        python3 - "$attribute" <<'PY'
import sys, pathlib
path = pathlib.Path("Pages/Index.cshtml.cs")
text = path.read_text()
assert "public class IndexModel" in text, "the template's IndexModel moved"
path.write_text(text.replace("public class IndexModel", sys.argv[1] + "\npublic class IndexModel", 1))
PY
        # Forgetting AddThriveStack() must stop the app at startup, saying so (the package's registration check).
        dotnet build -v q -nologo >/dev/null
        local refused
        refused=$(timeout 60 dotnet run --no-build -- --urls "http://127.0.0.1:0" 2>&1 || true)
        if [[ "$refused" != *"Call 'builder.Services.AddThriveStack()'"* ]]; then
            echo "quickstart ($template) FAILED: without AddThriveStack() the app did not refuse to start:" >&2
            echo "$refused" | tail -n 20 >&2
            return 1
        fi
        echo "quickstart ($template): without AddThriveStack() the app refuses to start, saying so"
        readme_block "quickstart:program:$template" > Program.cs
    else
        readme_block "quickstart:program:$template" > Program.cs
        local endpoint
        endpoint=$(readme_block quickstart:feature:endpoint)
        python3 - "$endpoint" <<'PY'
import sys, pathlib
path = pathlib.Path("Program.cs")
text = path.read_text()
path.write_text(text.replace("app.Run();", sys.argv[1] + "\n\napp.Run();", 1))
PY
    fi
    dotnet build -v q -nologo >/dev/null

    # dotnet run, as the README says (its launch profile sets Development); no API key.
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    dotnet run --no-build -- --urls "http://127.0.0.1:$port" >"$work/quickstart-$template.log" 2>&1 &
    app_pid=$!
    for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$port/_thrivestack/events.json" && break; sleep 0.2; done
    curl -fs -o /dev/null -H "Accept: text/html" \
        -A "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" \
        "http://127.0.0.1:$port/"
    if [ "$template" = blazor ]; then curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/reports/export"; fi
    local events=""
    for _ in $(seq 1 50); do
        events=$(curl -fs "http://127.0.0.1:$port/_thrivestack/events.json" || true)
        if [[ "$events" == *'"page_visit"'* && "$events" == *'"feature_used"'* ]]; then break; fi
        sleep 0.2
    done
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=""
    if [[ "$events" != *'"page_visit"'* || "$events" != *'"feature_used"'* ]]; then
        echo "quickstart ($template) FAILED: the events page shows '$events'" >&2
        cat "$work/quickstart-$template.log" >&2
        return 1
    fi
    if ! grep -q "in Development events are kept in this app" "$work/quickstart-$template.log"; then
        echo "quickstart ($template) FAILED: the console did not say where events go" >&2
        cat "$work/quickstart-$template.log" >&2
        return 1
    fi
    # The template's own page title: a Razor Page's ViewData["Title"] (read as its <head> renders), a Razor component's
    # <PageTitle> (read from its HTML).
    local title="Home page"
    if [ "$template" = blazor ]; then title="Home"; fi
    if ! grep -Eq "\"page_title\": ?\"$title\"" <<<"$events"; then
        echo "quickstart ($template) FAILED: the page_visit has no page_title '$title': '$events'" >&2
        return 1
    fi
    echo "quickstart ($template): a page_visit (page_title '$title') and a feature_used reached /_thrivestack/events"
    cd "$root"
}

quickstart webapp
quickstart blazor
