using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Decides when to identify a signed-in user, and their account, with no code (<see cref="AutoIdentifyOptions"/>): the
/// first time a (session, user) pair is seen, and the first time a (session, user, account) triple is. The pairs already
/// identified are remembered in a bounded set, shared with the app's own identify and group calls so AutoTrack does not
/// repeat them. The traits are read only from the claim types the options name.
/// </summary>
/// <remarks>Threads: any request thread; the set is concurrent, the parsed claim lists are swapped whole.</remarks>
internal sealed class AutoIdentify
{
    private readonly ConcurrentDictionary<(string Session, string User, string? Group), byte> _seen = new();
    private ClaimLists? _claims;

    /// <summary>How many (session, user[, account]) keys are remembered now.</summary>
    internal int Remembered => _seen.Count;

    /// <summary>
    /// For a request whose events are being tracked: the identify and group records owed for its signed-in user, or
    /// nulls. Each principal is considered once per request.
    /// </summary>
    public (ThriveStackUser? User, ThriveStackGroup? Group) Owed(HttpContext http, ThriveStackRequestFeature feature, ThriveStackRequestContext request, AutoIdentifyOptions options)
    {
        var principal = VisitorIdentity.CurrentUser(http);
        if (!options.Enabled || principal is null || ReferenceEquals(feature.AutoIdentifiedUser, principal))
            return (null, null);
        feature.AutoIdentifiedUser = principal;
        if (!request.IsAuthenticated || !request.HasConsent || request.UserId is not { } userId)
            return (null, null);

        var session = request.SessionId ?? string.Empty;
        var claims = Claims(options);
        ThriveStackUser? user = null;
        if (Remember(session, userId, null, options.MaxRemembered))
        {
            user = new ThriveStackUser
            {
                UserId = userId,
                GroupId = request.GroupId,
                Email = First(principal, claims.Email) is { } email && EventValidator.LooksLikeEmail(email) ? email : null,
                FullName = First(principal, claims.Name) is { } name && !EventValidator.LooksLikeEmail(name) ? name : null,
                FirstName = First(principal, claims.GivenName),
                LastName = First(principal, claims.FamilyName),
            };
        }

        ThriveStackGroup? group = null;
        if (request.GroupId is { } groupId && Remember(session, userId, groupId, options.MaxRemembered))
            group = new ThriveStackGroup { GroupId = groupId, UserId = userId, GroupType = options.GroupType, Name = First(principal, claims.GroupName) };
        return (user, group);
    }

    /// <summary>The app identified <paramref name="userId"/> (or, with <paramref name="groupId"/>, grouped them) in this session itself: AutoTrack need not.</summary>
    public void Sent(string? sessionId, string userId, string? groupId, AutoIdentifyOptions options)
        => Remember(sessionId ?? string.Empty, userId, groupId, options.MaxRemembered);

    /// <summary>True when the key is new (and now remembered). Past the bound the set starts again: a few users are identified twice, memory stays bounded.</summary>
    private bool Remember(string session, string user, string? group, int max)
    {
        if (_seen.Count >= Math.Max(1, max))
            _seen.Clear();
        return _seen.TryAdd((session, user, group), 0);
    }

    private static string? First(ClaimsPrincipal principal, string[] types)
    {
        foreach (var type in types)
        {
            if (principal.FindFirst(type)?.Value is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value))
                return value.Length > EventLimits.MaxStringValueLength ? null : value;
        }
        return null;
    }

    private ClaimLists Claims(AutoIdentifyOptions options)
    {
        var claims = _claims;
        if (claims is null || !ReferenceEquals(claims.Options, options))
            _claims = claims = new ClaimLists(options); // options reloaded
        return claims;
    }

    private sealed class ClaimLists(AutoIdentifyOptions options)
    {
        public AutoIdentifyOptions Options { get; } = options;
        public string[] Email { get; } = Split(options.EmailClaimTypes);
        public string[] Name { get; } = Split(options.NameClaimTypes);
        public string[] GivenName { get; } = Split(options.GivenNameClaimTypes);
        public string[] FamilyName { get; } = Split(options.FamilyNameClaimTypes);
        public string[] GroupName { get; } = Split(options.GroupNameClaimTypes);

        private static string[] Split(string? types)
            => string.IsNullOrWhiteSpace(types) ? [] : types.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
