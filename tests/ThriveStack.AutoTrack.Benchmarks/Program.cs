using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- --filter '*'
// Cold start and latency distribution of the user-agent parser: ... -- coldstart
// Where parsing time goes, rule by rule: ... -- profile [interpreted]; the regex engines compared: ... -- engines
// End-to-end dispatcher throughput to the loopback collector: ... -- throughput [events] [endpoint of a sink in another process, or noop: an in-process handler]
// ... at a steady rate, as a web app tracks, per batch size: ... -- paced [events/s] [seconds] [endpoint of the sink] [sizes: 0,100,500]
// The compiled user-agent rule table (scripts/update-uap-core.sh runs it): ... -- uap-table <regexes.json> <regexes.table>
// What the request path of the 2 KB page allocates, by type: ... -- allocprobe on|off
// The request path's cost, tracked minus untracked, in alternating blocks (a quick A/B check): ... -- pathprobe [blocks]
// A cheap track API for the load test (tests/load/run.sh): ... -- sink <port> [ms each answer waits: a distant API]
if (args is ["engines"])
    ThriveStack.AutoTrack.Benchmarks.EngineProfile.Run();
else if (args is ["profile"])
    ThriveStack.AutoTrack.Benchmarks.RuleProfile.Run(compiled: true);
else if (args is ["profile", "interpreted"])
    ThriveStack.AutoTrack.Benchmarks.RuleProfile.Run(compiled: false);
else if (args is ["throughput", ..])
    await ThriveStack.AutoTrack.Benchmarks.DispatcherThroughput.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500_000, args.Length > 2 ? (args[2] == "noop" ? ThriveStack.AutoTrack.Benchmarks.DispatcherThroughput.NoopEndpoint : new Uri(args[2])) : null);
else if (args is ["paced", ..])
    await ThriveStack.AutoTrack.Benchmarks.DispatcherThroughput.RunPacedAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10,
        new Uri(args.Length > 3 ? args[3] : "http://127.0.0.1:5099/api/track"),
        args.Length > 4 ? [.. args[4].Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) is var n && n > 0 ? n : (int?)null)] : null);
else if (args is ["sink", var port, ..])
    await ThriveStack.AutoTrack.Benchmarks.LoadSink.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0);
else if (args is ["uap-table", var json, var table])
    ThriveStack.AutoTrack.Benchmarks.RuleTableCompiler.Run(json, table);
else if (args is ["allocprobe", var mode and ("on" or "off")])
    await ThriveStack.AutoTrack.Benchmarks.AllocProbe.RunAsync(mode == "on");
else if (args is ["pathprobe", ..])
    await ThriveStack.AutoTrack.Benchmarks.PathProbe.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 400);
else if (args is ["coldstart"])
    ThriveStack.AutoTrack.Benchmarks.UserAgentColdStart.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point.</summary>
public partial class Program;
