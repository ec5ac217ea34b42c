using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>
/// What AutoTrack loads into a minimal-API app that tracks page views of new visitors while its API answers: nothing it
/// does not need then. Each of these was loaded once, and together they made about 9 MiB of the app's resident memory
/// (measured with <c>tests/load/run.sh</c>, <c>MODE=trivial</c>).
/// </summary>
public sealed class FootprintProcessTests : ProcessTestBase
{
    [Fact]
    public async Task MinimalApiApp_TrackingNewVisitors_LoadsNoMvcSqliteOpenSslOrRateLimiter()
    {
        await using var app = await SampleProcess.StartTrivialAppAsync(new Dictionary<string, string>
        {
            ["TRACKING"] = "on",
            ["ThriveStack__ApiKey"] = Collector.ApiKey,
            ["ThriveStack__Endpoint"] = Collector.Endpoint.ToString(),
            ["ThriveStack__SpoolPath"] = Path.Combine(SpoolDirectory, "spool.db"),
        });
        using (var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = app.Address })
        {
            for (var i = 0; i < 20; i++)
            {
                using var response = await client.SendAsync(SampleAppFactory.Navigate($"/pricing?visit={i}"));
                response.EnsureSuccessStatusCode();
                Assert.Contains(response.Headers, h => h.Key == "Set-Cookie"); // a new visitor each time: ids are drawn
            }
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Collector.Events.Count < 20 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.True(Collector.Events.Count == 20, $"{Collector.Events.Count} of 20 page views arrived:\n{app.Output}");
        Assert.All(Collector.Events, e => Assert.Equal("page_visit", e.EventName));

        if (!OperatingSystem.IsLinux())
            return; // the memory maps are Linux's
        var maps = await File.ReadAllTextAsync($"/proc/{app.Id}/maps");
        Assert.Contains("ThriveStack.AutoTrack.dll", maps, StringComparison.Ordinal); // the check reads the right process
        Assert.DoesNotContain("Microsoft.AspNetCore.Mvc", maps, StringComparison.Ordinal);      // MVC's option types (1.7 MiB)
        Assert.DoesNotContain("Microsoft.Data.Sqlite.dll", maps, StringComparison.Ordinal);     // the spool, unopened (1.1 MiB)
        Assert.DoesNotContain("System.Data.Common.dll", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libcrypto", maps, StringComparison.Ordinal);                     // OpenSSL, for ids and hashes (5 MiB)
        Assert.DoesNotContain("System.Threading.RateLimiting.dll", maps, StringComparison.Ordinal); // the browser collector's limits
    }
}
