namespace ThriveStack.AutoTrack.Events;

/// <summary>The values of <see cref="EventContext.Source"/> the track API documents.</summary>
public static class EventSources
{
    /// <summary><c>product</c>: an in-app event.</summary>
    public const string Product = "product";

    /// <summary><c>marketing</c>: an event on the public-facing website.</summary>
    public const string Marketing = "marketing";
}
