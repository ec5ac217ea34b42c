using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>Runs a <see cref="ThriveStackCollector"/> inside the app and points AutoTrack at it: tracking with no account.</summary>
public static class ThriveStackDevCollectorExtensions
{
    /// <summary>
    /// Points AutoTrack at a collector that runs inside the app: <see cref="ThriveStackOptions.Endpoint"/> and
    /// <see cref="ThriveStackOptions.ApiKey"/> are set to it, overriding configuration. The collector starts with the
    /// host (before AutoTrack sends anything) and stops after AutoTrack has drained its queue. It is not started while
    /// the app is only being built, so <c>WebApplicationFactory</c> tests of the app see the app, not the collector.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="options">Collector settings; defaults to a random key and a free loopback port, reserved now.</param>
    /// <returns>The collector's handle: its endpoint now, its received events once the host runs.</returns>
    /// <remarks>The host fails to start, saying how to fix it, when <c>builder.Services.AddThriveStack()</c> is not called.</remarks>
    public static ThriveStackDevCollector AddThriveStackDevCollector(this IHostApplicationBuilder builder, ThriveStackCollectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ThriveStackCollectorOptions();
        if (options.Port == 0)
            options.Port = FreeLoopbackPort();
        var dev = new ThriveStackDevCollector(options);
        builder.Services.AddSingleton(dev);
        // First among hosted services: started before AutoTrack's dispatcher, stopped after its shutdown drain. Resolved
        // as the host starts, which fails with the one clear message when AddThriveStack() was never called.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(services =>
        {
            ThriveStackMarker.EnsureAdded(services, "builder.AddThriveStackDevCollector()");
            return dev;
        }));
        builder.Services.PostConfigure<ThriveStackOptions>(o =>
        {
            o.Endpoint = dev.Endpoint;
            o.ApiKey = dev.ApiKey;
        });
        return dev;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A <see cref="ThriveStackCollector"/> that runs with the app's host (see
/// <see cref="ThriveStackDevCollectorExtensions.AddThriveStackDevCollector"/>).
/// </summary>
public sealed class ThriveStackDevCollector : IHostedService, IAsyncDisposable
{
    private readonly ThriveStackCollectorOptions _options;
    private ThriveStackCollector? _collector;

    internal ThriveStackDevCollector(ThriveStackCollectorOptions options)
    {
        _options = options;
        Endpoint = new Uri($"http://127.0.0.1:{options.Port}{ThriveStackCollector.TrackPath}");
    }

    /// <summary>Where the collector listens: <c>http://127.0.0.1:&lt;port&gt;/api/track</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The key the collector accepts.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>The running collector, or null before the host starts and after it stops.</summary>
    public ThriveStackCollector? Collector => Volatile.Read(ref _collector);

    /// <summary>Events received so far (empty before the host starts).</summary>
    public IReadOnlyList<ReceivedEvent> Events => Collector?.Events ?? [];

    /// <summary>Requests received so far, accepted or not.</summary>
    public IReadOnlyList<CollectedBatch> Batches => Collector?.Batches ?? [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
        => Volatile.Write(ref _collector, await ThriveStackCollector.StartAsync(_options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <summary>Stops the collector.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _collector, null) is { } collector)
            await collector.DisposeAsync().ConfigureAwait(false);
    }
}
