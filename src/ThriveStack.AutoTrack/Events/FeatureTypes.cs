namespace ThriveStack.AutoTrack.Events;

/// <summary>The values of the <c>feature_type</c> property the track API documents.</summary>
public static class FeatureTypes
{
    /// <summary><c>core</c>: a core product feature.</summary>
    public const string Core = "core";

    /// <summary><c>secondary</c>: a secondary product feature.</summary>
    public const string Secondary = "secondary";

    /// <summary><c>add-on</c>: a paid or optional add-on.</summary>
    public const string AddOn = "add-on";
}
