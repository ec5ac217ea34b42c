namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Endpoint metadata that fixes <c>context.source</c> for events of requests to this endpoint, whoever the visitor is:
/// <c>[ThriveStackSource(EventSources.Marketing)]</c> on a controller, action or page, or
/// <c>.WithThriveStackSource(EventSources.Marketing)</c> on a minimal API.
/// </summary>
/// <param name="source"><see cref="Events.EventSources.Product"/> or <see cref="Events.EventSources.Marketing"/>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ThriveStackSourceAttribute(string source) : Attribute
{
    /// <summary><c>product</c> or <c>marketing</c>.</summary>
    public string Source { get; } = source;
}
