namespace ThriveStack.AutoTrack.Identity;

/// <summary>What AutoTrack does for a visitor who has not consented to tracking.</summary>
public enum NoConsentBehavior
{
    /// <summary>Track without cookies, device or session ids; anonymous visitors get <c>user_id</c> <c>anonymous</c>.</summary>
    TrackWithoutIdentifiers,

    /// <summary>Send no page visits for the visitor.</summary>
    DoNotTrack,
}
