namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// Sends an event of any name when the action, controller or Razor Page succeeds: <c>[TrackEvent("report_shared")]</c>.
/// Same rules as <see cref="TrackFeatureAttribute"/>; for minimal APIs use <c>.TrackEvent("report_shared")</c>.
/// </summary>
/// <param name="eventName">Object + past-tense verb in snake_case.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class TrackEventAttribute(string eventName) : Attribute, ITrackedActionMetadata
{
    /// <summary>The event name.</summary>
    public string EventName { get; } = eventName;

    /// <summary>Names of action arguments, route values or query values to copy into the event's properties.</summary>
    public string[] Properties { get; set; } = [];
}
