using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Who and where the current request is, as AutoTrack sends it: the ids every event of the request carries.
/// Get it with <c>HttpContext.GetThriveStackContext()</c>.
/// </summary>
public sealed class ThriveStackRequestContext
{
    internal ThriveStackRequestContext(string? userId, bool isAuthenticated, string? deviceId, string? sessionId, string? groupId, string source, bool hasConsent)
    {
        UserId = userId;
        IsAuthenticated = isAuthenticated;
        DeviceId = deviceId;
        SessionId = sessionId;
        GroupId = groupId;
        Source = source;
        HasConsent = hasConsent;
    }

    /// <summary>
    /// The <c>user_id</c> events of this request get: the signed-in user's id; for anonymous visitors their device id,
    /// or <c>anonymous</c> without consent; null when anonymous visitors are not tracked.
    /// </summary>
    public string? UserId { get; }

    /// <summary>Whether the user is signed in (has a user id from claims or the resolver).</summary>
    public bool IsAuthenticated { get; }

    /// <summary>The device id from the device cookie; null without consent.</summary>
    public string? DeviceId { get; }

    /// <summary>The session id from the session cookie; null without consent.</summary>
    public string? SessionId { get; }

    /// <summary>The account id (<c>context.group_id</c>), when known.</summary>
    public string? GroupId { get; }

    /// <summary><c>product</c> or <c>marketing</c>.</summary>
    public string Source { get; }

    /// <summary>False when consent is missing or a honoured privacy signal (GPC, DNT) was sent.</summary>
    public bool HasConsent { get; }

    /// <summary>The request's ids as an event's <c>context</c>.</summary>
    internal EventContext ToEventContext() => new() { DeviceId = DeviceId, SessionId = SessionId, GroupId = GroupId, Source = Source };

    internal ThriveStackRequestContext WithSource(string source)
        => source == Source ? this : new ThriveStackRequestContext(UserId, IsAuthenticated, DeviceId, SessionId, GroupId, source, HasConsent);
}
