using Microsoft.Extensions.Options;

namespace ThriveStack.AutoTrack.Configuration;

/// <summary>
/// The default <see cref="ThriveStackOptions"/> instance of the moment, kept by the monitor's change notifications for
/// the code that reads it on every request: <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> is a cache lookup on
/// every call (24–28 ns, <c>OptionsBenchmarks</c>), and a page view asked for it three times. A reload is seen once the
/// monitor has announced it, as with <c>CurrentValue</c>.
/// </summary>
/// <remarks>Threads: written by the monitor's change callback, read by any thread; a reference, read and written whole.
/// Subscribed for the monitor's lifetime, as the holders (singletons and the middleware) live as long as it.</remarks>
internal sealed class LiveOptions
{
    private ThriveStackOptions? _current;

    public LiveOptions(IOptionsMonitor<ThriveStackOptions> monitor)
    {
        monitor.OnChange((changed, name) =>
        {
            if (string.IsNullOrEmpty(name)) // the default instance, which CurrentValue is; not a named one
                Volatile.Write(ref _current, changed);
        });
        // Subscribed first, then read: a change announced in between has set a newer value, which this leaves alone.
        Interlocked.CompareExchange(ref _current, monitor.CurrentValue, null);
    }

    /// <summary>The options of the moment.</summary>
    public ThriveStackOptions Current => Volatile.Read(ref _current)!;
}
