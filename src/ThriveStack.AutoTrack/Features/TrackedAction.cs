using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.Features;

/// <summary>The tracked events one request owes, with the properties captured when its action started.</summary>
internal sealed class TrackedAction(ITrackedActionMetadata?[] metadata, Dictionary<string, object?>?[] properties)
{
    public ITrackedActionMetadata?[] Metadata { get; } = metadata;

    public Dictionary<string, object?>?[] Properties { get; } = properties;

    public bool Completed { get; set; }

    /// <summary>The <c>[TrackFeature]</c> and <c>[TrackEvent]</c> of an endpoint; the most specific of each wins.</summary>
    public static ITrackedActionMetadata?[]? For(Endpoint? endpoint, ITrackedActionMetadata? featureOverride = null, ITrackedActionMetadata? eventOverride = null)
    {
        var feature = featureOverride ?? endpoint?.Metadata.GetMetadata<TrackFeatureAttribute>();
        var evt = eventOverride ?? endpoint?.Metadata.GetMetadata<TrackEventAttribute>();
        return feature is null && evt is null ? null : [feature, evt];
    }
}
