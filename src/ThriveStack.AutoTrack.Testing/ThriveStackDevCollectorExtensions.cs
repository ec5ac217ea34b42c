using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>Runs a <see cref="ThriveStackCollector"/> inside the app and points AutoTrack at it: tracking with no account.</summary>
public static class ThriveStackDevCollectorExtensions
{
    /// <summary>
    /// Starts a collector on a free loopback port, registers it as a singleton (stopped when the host is disposed, after
    /// AutoTrack has drained its queue) and sets <see cref="ThriveStackOptions.Endpoint"/> and
    /// <see cref="ThriveStackOptions.ApiKey"/> to it, overriding configuration.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="options">Collector settings; defaults to a free port and a random key.</param>
    /// <returns>The running collector.</returns>
    public static async Task<ThriveStackCollector> AddThriveStackDevCollectorAsync(this IHostApplicationBuilder builder, ThriveStackCollectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var collector = await ThriveStackCollector.StartAsync(options).ConfigureAwait(false);
        // A factory registration, so the container owns and disposes it, after hosted services have stopped.
        builder.Services.AddSingleton(_ => collector);
        builder.Services.PostConfigure<ThriveStackOptions>(o =>
        {
            o.Endpoint = collector.Endpoint;
            o.ApiKey = collector.ApiKey;
        });
        return collector;
    }
}
