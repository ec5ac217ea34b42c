namespace ThriveStack.AutoTrack.Features;

/// <summary>What <see cref="TrackFeatureAttribute"/> and <see cref="TrackEventAttribute"/> have in common.</summary>
public interface ITrackedActionMetadata
{
    /// <summary>The name of the event sent.</summary>
    string EventName { get; }

    /// <summary>Names of the action arguments, route values or query values copied into the event.</summary>
    string[] Properties { get; }
}
