using System.Text.Json;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>The sample as `dotnet run` starts it, with no API key: in Development the events stay in the app, for the events page.</summary>
public sealed class ZeroConfigRunTests : IDisposable
{
    private readonly string _spoolDirectory = Path.Combine(Path.GetTempPath(), "autotrack-it", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_spoolDirectory))
            Directory.Delete(_spoolDirectory, recursive: true);
    }

    [Fact]
    public async Task NoApiKey_CurlOfTwoPages_ShowsBothOnTheEventsPage()
    {
        await using var sample = await SampleProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // as launchSettings.json sets it for dotnet run
            ["ThriveStack__SpoolPath"] = Path.Combine(_spoolDirectory, "spool.db"),
            ["ThriveStack__UserAgents__MatchTimeout"] = "00:00:05", // what is parsed, not how fast, on a loaded CI machine
        });
        using var curl = new HttpClient { BaseAddress = sample.Address };
        curl.DefaultRequestHeaders.UserAgent.ParseAdd("curl/8.5.0");
        curl.DefaultRequestHeaders.Accept.ParseAdd("*/*");

        (await curl.GetAsync("/")).EnsureSuccessStatusCode();
        (await curl.GetAsync("/pricing?utm_source=x")).EnsureSuccessStatusCode();

        JsonElement[] events = [];
        for (var attempt = 0; attempt < 100 && events.Length < 2; attempt++)
        {
            await Task.Delay(100);
            events = JsonDocument.Parse(await curl.GetStringAsync("/_thrivestack/events.json")).RootElement.EnumerateArray().ToArray();
        }

        Assert.Equal(["/pricing", "/"], events.Select(e => e.GetProperty("properties").GetProperty("page_path").GetString()));
        Assert.Equal("x", events[0].GetProperty("properties").GetProperty("utm_source").GetString());
        Assert.All(events, e => Assert.Equal("bot", e.GetProperty("properties").GetProperty("device_type").GetString()));
        var page = await curl.GetStringAsync("/_thrivestack/events");
        Assert.Contains("No API key is configured", page, StringComparison.Ordinal);
        Assert.Contains("in Development events are kept in this app, not sent", sample.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("in-process collector", sample.Output, StringComparison.Ordinal);
    }
}
