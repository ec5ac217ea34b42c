namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// Sends a <c>feature_used</c> event when the action, controller, Razor Page (model class or handler) succeeds:
/// <c>[TrackFeature("export_report", FeatureType = FeatureTypes.Core)]</c>. On a controller it covers every action; an
/// attribute on the action wins. For minimal APIs and route groups use <c>.TrackFeature("share_report")</c>.
/// </summary>
/// <param name="featureName">Wire name <c>feature_name</c>, e.g. <c>export_report</c>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class TrackFeatureAttribute(string featureName) : Attribute, ITrackedActionMetadata
{
    /// <summary>Wire name <c>feature_name</c>.</summary>
    public string FeatureName { get; } = featureName;

    /// <summary>Wire name <c>feature_type</c>: <see cref="Events.FeatureTypes.Core"/>, <c>secondary</c> or <c>add-on</c>. Default: not sent.</summary>
    public string? FeatureType { get; set; }

    /// <summary>Wire name <c>sub_feature_name</c>. Default: not sent.</summary>
    public string? SubFeature { get; set; }

    /// <summary>
    /// Names of action arguments, route values or query values to copy into the event's properties, under the same names
    /// (simple values only: strings, numbers, booleans, GUIDs, dates, enums; strings are cut to 256 characters).
    /// </summary>
    public string[] Properties { get; set; } = [];

    string ITrackedActionMetadata.EventName => Events.StandardEvents.FeatureUsed;
}
