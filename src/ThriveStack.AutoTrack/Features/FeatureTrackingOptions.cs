namespace ThriveStack.AutoTrack.Features;

/// <summary>How <c>[TrackFeature]</c> and <c>[TrackEvent]</c> behave. Section <c>ThriveStack:Features</c>.</summary>
public sealed class FeatureTrackingOptions
{
    /// <summary>
    /// When true, failed actions (an exception, or a status of 400 or more) send their event too, with
    /// <c>outcome: "failure"</c> and <c>status_code</c>, and successful ones carry <c>outcome: "success"</c>.
    /// Default <c>false</c>: only successes are sent, without an <c>outcome</c>.
    /// </summary>
    public bool TrackFailures { get; set; }

    /// <summary>The claim whose value is sent as <c>user_role</c> on <c>feature_used</c>. Default: the standard role claim type.</summary>
    public string RoleClaimType { get; set; } = System.Security.Claims.ClaimTypes.Role;
}
