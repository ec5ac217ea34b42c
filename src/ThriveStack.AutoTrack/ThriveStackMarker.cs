using Microsoft.Extensions.DependencyInjection;

namespace ThriveStack.AutoTrack;

/// <summary>
/// Registered by <c>AddThriveStack</c>; lets <c>UseThriveStackTracking</c> and repeated calls see that it ran, and
/// remembers which configuration is bound, so that calling <c>AddThriveStack</c> again (as <c>AddThriveStackTesting</c>
/// does) does not bind it twice: a second binding appends list options (<c>ExcludePaths</c>) to themselves.
/// </summary>
internal sealed class ThriveStackMarker
{
    /// <summary>Stands for the <c>ThriveStack</c> section of the app's configuration.</summary>
    public const string DefaultSection = "section:" + ThriveStackOptions.SectionName;

    // Section paths compare by value (GetSection returns a new object each call); other configurations by reference.
    private readonly HashSet<object> _bound = [];

    /// <summary>True the first time this configuration is seen: bind it now.</summary>
    public bool FirstBinding(Microsoft.Extensions.Configuration.IConfiguration configuration)
        => FirstBinding(configuration is Microsoft.Extensions.Configuration.IConfigurationSection section ? "section:" + section.Path : configuration);

    /// <summary>True the first time <paramref name="key"/> is seen: bind it now.</summary>
    public bool FirstBinding(object key)
    {
        lock (_bound)
            return _bound.Add(key);
    }

    /// <summary>
    /// The one message for every use of AutoTrack without <c>AddThriveStack()</c>: the middleware, the events page, the
    /// feature attributes and conventions, the tracker, the dev collector. <paramref name="used"/> names what was used.
    /// </summary>
    public static string NotAddedMessage(string used)
        => $"AutoTrack is used ({used}) but its services are missing. Call 'builder.Services.AddThriveStack()' in Program.cs, " +
           "before 'builder.Build()'; options come from the \"ThriveStack\" configuration section.";

    /// <summary>True when <c>AddThriveStack()</c> registered its services in <paramref name="services"/>.</summary>
    public static bool IsAdded(IServiceProvider services)
        => services.GetService<IServiceProviderIsService>()?.IsService(typeof(ThriveStackMarker)) == true;

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="NotAddedMessage"/> unless AutoTrack's services are registered.</summary>
    public static void EnsureAdded(IServiceProvider services, string used)
    {
        if (!IsAdded(services))
            throw new InvalidOperationException(NotAddedMessage(used));
    }
}
