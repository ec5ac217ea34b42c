using Microsoft.Data.Sqlite;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>The durable spool across a real process crash: the sample app killed while the API is down.</summary>
public sealed class SpoolProcessTests : ProcessTestBase
{
    private const int Visits = 5000;

    [Fact]
    public async Task KilledWhileTheApiIsDown_NextProcessWithTheSameSpoolDeliversEveryEvent()
    {
        var spool = Path.Combine(SpoolDirectory, "spool.db");
        var environment = new Dictionary<string, string>
        {
            ["ThriveStack__ApiKey"] = Collector.ApiKey,
            ["ThriveStack__Endpoint"] = Collector.Endpoint.ToString(),
            ["ThriveStack__SpoolPath"] = spool,
            ["ThriveStack__MaxQueueSize"] = "100000",
        };
        Collector.SetFault(CollectorFault.Status(503));

        await using (var first = await SampleProcess.StartAsync(environment))
        {
            await VisitAsync(first.Address, Visits);
            await WaitForAsync(() => SpooledEvents(spool) >= Visits, TimeSpan.FromSeconds(60), () => first.Output);
            await first.KillAsync();
        }
        Assert.Empty(Collector.Events);

        Collector.SetFault(null);
        await using var second = await SampleProcess.StartAsync(environment);
        await WaitForAsync(() => Collector.Events.Count >= Visits, TimeSpan.FromSeconds(60), () => second.Output);

        var paths = Collector.Events.Select(e => e.Property("page_path") + "?" + new Uri(e.Property("page_url")!).Query).ToList();
        Assert.Equal(Visits, paths.Count);
        Assert.Equal(Visits, paths.Distinct().Count());
        Assert.All(Collector.Events, e => Assert.Equal("page_visit", e.EventName));
        Assert.Contains("are sent first", second.Output, StringComparison.Ordinal);
        await WaitForAsync(() => SpooledEvents(spool) == 0, TimeSpan.FromSeconds(10), () => second.Output);
    }

    [Fact]
    public async Task KilledWithIdentifyAndGroupRecordsSpooled_NextProcessDeliversEveryOne()
    {
        const int SignUps = 20;
        var spool = Path.Combine(SpoolDirectory, "spool.db");
        var environment = new Dictionary<string, string>
        {
            ["ThriveStack__ApiKey"] = Collector.ApiKey,
            ["ThriveStack__Endpoint"] = Collector.Endpoint.ToString(),
            ["ThriveStack__SpoolPath"] = spool,
        };
        Collector.SetFault(ThriveStackCollector.IdentifyPath, CollectorFault.Status(503));
        Collector.SetFault(ThriveStackCollector.GroupPath, CollectorFault.Status(503));
        var identifySpool = Path.Combine(SpoolDirectory, "spool-identify.db");
        var groupSpool = Path.Combine(SpoolDirectory, "spool-group.db");

        await using (var first = await SampleProcess.StartAsync(environment))
        {
            for (var i = 0; i < SignUps; i++)
                await SignUpAsync(first.Address, $"user{i}@company{i}.test", $"Company {i}");
            // Track events still flow while the other two endpoints are down.
            await WaitForAsync(() => Collector.Events.Count(e => e.EventName == "signed_up") == SignUps, TimeSpan.FromSeconds(30), () => first.Output);
            await WaitForAsync(() => SpooledEvents(identifySpool) >= SignUps && SpooledEvents(groupSpool) >= SignUps, TimeSpan.FromSeconds(60), () => first.Output);
            await first.KillAsync();
        }
        Assert.Empty(Collector.Identifies);
        Assert.Empty(Collector.Groups);

        Collector.SetFault(null);
        await using var second = await SampleProcess.StartAsync(environment);
        await WaitForAsync(() => Collector.Groups.Count >= SignUps && Collector.Identifies.Count >= SignUps, TimeSpan.FromSeconds(60), () => second.Output);

        var emails = Collector.Identifies.Select(r => r.Trait("email")).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, SignUps).Select(i => $"user{i}@company{i}.test").Order(), emails.Order());
        Assert.Equal(Enumerable.Range(0, SignUps).Select(i => $"Company {i}").Order(), Collector.Groups.Select(g => g.Trait("name")).Distinct().Order());
        Assert.All(Collector.Groups, g => Assert.Equal("Account", g.Trait("group_type")));
    }

    [Fact]
    public async Task TheApiAnswering_TheSpoolsDatabaseIsNeverCreatedNorItsCodeLoaded()
    {
        var spool = Path.Combine(SpoolDirectory, "spool.db");
        var environment = new Dictionary<string, string>
        {
            ["ThriveStack__ApiKey"] = Collector.ApiKey,
            ["ThriveStack__Endpoint"] = Collector.Endpoint.ToString(),
            ["ThriveStack__SpoolPath"] = spool,
        };

        await using var app = await SampleProcess.StartAsync(environment);
        await VisitAsync(app.Address, 50);
        await WaitForAsync(() => Collector.Events.Count >= 50, TimeSpan.FromSeconds(30), () => app.Output);

        Assert.True(File.Exists(spool + ".lock"), "the spool's lock is taken at startup");
        Assert.False(File.Exists(spool), "no database while the API takes every batch");
        if (OperatingSystem.IsLinux())
        {
            // Not even loaded: the spool's SQLite code (and System.Data.Common under it) is about 1.1 MiB resident.
            var maps = await File.ReadAllTextAsync($"/proc/{app.Id}/maps");
            Assert.DoesNotContain("Microsoft.Data.Sqlite.dll", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("e_sqlite3", maps, StringComparison.Ordinal);
        }
    }

    /// <summary>Fills in the sample's sign-up form as a browser would (its own cookies and antiforgery token).</summary>
    private static async Task SignUpAsync(Uri address, string email, string company)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = address };
        using var form = await client.SendAsync(SampleAppFactory.Navigate("/account/signup"));
        var token = SampleAppFactory.AntiforgeryToken(await form.Content.ReadAsStringAsync());
        using var post = await client.PostAsync("/account/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "New User",
            ["Email"] = email,
            ["Company"] = company,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, post.StatusCode);
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
