using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>In-memory event capture for an app's own tests (e.g. in <c>WebApplicationFactory.ConfigureTestServices</c>).</summary>
public static class ThriveStackTestingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces delivery with a <see cref="ThriveStackEventRecorder"/>: nothing goes over the network, events are still
    /// validated, serialized and checked against the contract exactly as they would be sent (an event that breaks it is
    /// dropped as <c>rejected</c>, as the real API would). Sets an API key when none is configured, so sending is enabled,
    /// and <see cref="ThriveStackOptions.Durability"/> to <see cref="EventDurability.Memory"/>, so tests touch no disk. Resolve the recorder with <c>services.GetRequiredService&lt;ThriveStackEventRecorder&gt;()</c>.
    /// </summary>
    /// <param name="services">The app's services (after <c>AddThriveStack()</c>).</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddThriveStackTesting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddThriveStack();
        services.TryAddSingleton<ThriveStackEventRecorder>();
        services.Replace(ServiceDescriptor.Singleton<IBatchTransport>(sp => new RecordingTransport(sp.GetRequiredService<ThriveStackEventRecorder>())));
        services.PostConfigure<ThriveStackOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.ApiKey))
                o.ApiKey = "test";
            o.Durability = EventDurability.Memory;
        });
        return services;
    }
}
