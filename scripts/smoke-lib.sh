# Shared by package-smoke.sh and publish-smoke.sh (sourced, not run): a scratch directory, the smoke app's code, and
# running it.

# start_smoke_work: makes the scratch directory $work; on exit the app (if started) is stopped and $work removed.
start_smoke_work() {
    work=$(mktemp -d)
    app_pid=""
    trap stop_smoke_work EXIT
}

stop_smoke_work() {
    stop_smoke_app
    rm -rf "$work"
}

# stop_smoke_app: stops the app run_smoke_app started, if it runs. run_smoke_app must run in this shell, not in a
# subshell: $app_pid set in a subshell never reaches the trap, and the app outlives the script.
stop_smoke_app() {
    if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
    app_pid=""
}

# write_smoke_program DIR: a minimal-API app with AutoTrack, the testing kit's in-app collector, one page and one
# tracked feature; GET /received lists the names of the events the collector got.
write_smoke_program() {
    cat > "$1/Program.cs" <<'CS'
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
}

# run_smoke_app LABEL COMMAND...: starts the app on a free loopback port, views the page as Chrome, uses the feature,
# and succeeds once the collector has a page_visit and a feature_used (fails after 10 s, printing the app's output).
run_smoke_app() {
    local label=$1; shift
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$@" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
    app_pid=$!
    for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/received" && break; sleep 0.1; done
    curl -fs -o /dev/null -H "Accept: text/html" \
        -A "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" \
        "http://127.0.0.1:$port/"
    curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/export"
    local received=""
    for _ in $(seq 1 50); do
        received=$(curl -fs "http://127.0.0.1:$port/received" || true)
        if [[ "$received" == *page_visit* && "$received" == *feature_used* ]]; then
            echo "$label: delivered $received"
            return 0
        fi
        sleep 0.2
    done
    echo "$label FAILED: received '$received'" >&2
    cat "$work/app.log" >&2
    return 1
}
