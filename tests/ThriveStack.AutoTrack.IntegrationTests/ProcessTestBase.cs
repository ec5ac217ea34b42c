using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>
/// For tests that run an app as a child process (<see cref="SampleProcess"/>): a contract-enforcing collector on
/// loopback for its API, and a spool directory of its own, removed afterwards.
/// </summary>
public abstract class ProcessTestBase : IAsyncLifetime
{
    /// <summary>A fresh directory under the temp folder for the app's spool files.</summary>
    protected string SpoolDirectory { get; } = Path.Combine(Path.GetTempPath(), "autotrack-it", Guid.NewGuid().ToString("N"));

    /// <summary>The app's track API.</summary>
    protected ThriveStackCollector Collector { get; private set; } = null!;

    public async Task InitializeAsync() => Collector = await ThriveStackCollector.StartAsync();

    public async Task DisposeAsync()
    {
        await Collector.DisposeAsync();
        if (Directory.Exists(SpoolDirectory))
            Directory.Delete(SpoolDirectory, recursive: true);
    }
}
