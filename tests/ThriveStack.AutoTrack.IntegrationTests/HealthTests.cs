using System.Text.Json;

namespace ThriveStack.AutoTrack.IntegrationTests;

public sealed class HealthTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Health_IncludesAutoTrackCheckWithQueueAndSpool()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/health");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var check = report.GetProperty("checks").GetProperty("thrivestack");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Equal("delivering", check.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal(0, check.GetProperty("data").GetProperty("spool_events").GetInt64());
        Assert.False(check.GetProperty("data").GetProperty("spool_durable").GetBoolean()); // the testing kit keeps tests off the disk
    }
}
