using Microsoft.Data.Sqlite;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>The durable spool across a real process crash: the sample app killed while the API is down.</summary>
public sealed class SpoolProcessTests : IAsyncLifetime
{
    private const int Visits = 5000;
    private readonly string _spoolDirectory = Path.Combine(Path.GetTempPath(), "autotrack-it", Guid.NewGuid().ToString("N"));
    private ThriveStackCollector _collector = null!;

    public async Task InitializeAsync() => _collector = await ThriveStackCollector.StartAsync();

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        if (Directory.Exists(_spoolDirectory))
            Directory.Delete(_spoolDirectory, recursive: true);
    }

    [Fact]
    public async Task KilledWhileTheApiIsDown_NextProcessWithTheSameSpoolDeliversEveryEvent()
    {
        var spool = Path.Combine(_spoolDirectory, "spool.db");
        var environment = new Dictionary<string, string>
        {
            ["ThriveStack__ApiKey"] = _collector.ApiKey,
            ["ThriveStack__Endpoint"] = _collector.Endpoint.ToString(),
            ["ThriveStack__SpoolPath"] = spool,
            ["ThriveStack__MaxQueueSize"] = "100000",
        };
        _collector.SetFault(CollectorFault.Status(503));

        await using (var first = await SampleProcess.StartAsync(environment))
        {
            await VisitAsync(first.Address, Visits);
            await WaitForAsync(() => SpooledEvents(spool) >= Visits, TimeSpan.FromSeconds(60), () => first.Output);
            await first.KillAsync();
        }
        Assert.Empty(_collector.Events);

        _collector.SetFault(null);
        await using var second = await SampleProcess.StartAsync(environment);
        await WaitForAsync(() => _collector.Events.Count >= Visits, TimeSpan.FromSeconds(60), () => second.Output);

        var paths = _collector.Events.Select(e => e.Property("page_path") + "?" + new Uri(e.Property("page_url")!).Query).ToList();
        Assert.Equal(Visits, paths.Count);
        Assert.Equal(Visits, paths.Distinct().Count());
        Assert.All(_collector.Events, e => Assert.Equal("page_visit", e.EventName));
        Assert.Contains("are sent first", second.Output, StringComparison.Ordinal);
        await WaitForAsync(() => SpooledEvents(spool) == 0, TimeSpan.FromSeconds(10), () => second.Output);
    }

    private static async Task VisitAsync(Uri address, int count)
    {
        using var client = new HttpClient { BaseAddress = address };
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var request = SampleAppFactory.Navigate($"/pricing?visit={i}");
                using var response = await client.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }));
    }

    private static long SpooledEvents(string path)
    {
        if (!File.Exists(path))
            return 0;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // not created yet
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> output)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not done within {timeout}. The app said:\n{output()}");
            await Task.Delay(200);
        }
    }
}
