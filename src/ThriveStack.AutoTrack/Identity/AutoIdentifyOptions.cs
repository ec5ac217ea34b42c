namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Identify and group calls sent with zero code (section <c>ThriveStack:AutoIdentify</c>): when a signed-in user is first
/// seen in a session (so also right after sign-in), AutoTrack sends an identify with traits read from the user's claims,
/// and, when the request's account is known, a group with <see cref="GroupType"/>. Once per user per session, in bounded
/// memory, never without consent, and only claims named here.
/// </summary>
/// <remarks>
/// Each claim type option takes one claim type, or several separated by commas (the first present wins); an empty
/// string sends nothing for that trait. The defaults are the OpenID Connect short name and the
/// <see cref="System.Security.Claims.ClaimTypes"/> URI, as ASP.NET Core Identity and the OpenID Connect handler issue them.
/// </remarks>
public sealed class AutoIdentifyOptions
{
    /// <summary>Whether identify and group are sent automatically. Default <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Claims whose value is the <c>email</c> trait. Default <c>email</c> and <see cref="System.Security.Claims.ClaimTypes.Email"/>.</summary>
    public string EmailClaimTypes { get; set; } = "email," + System.Security.Claims.ClaimTypes.Email;

    /// <summary>
    /// Claims whose value is <c>enrichment_full_name</c>. Default <c>name</c> and <see cref="System.Security.Claims.ClaimTypes.Name"/>;
    /// a value that is an e-mail address (ASP.NET Core Identity's default user name) is not sent as a name.
    /// </summary>
    public string NameClaimTypes { get; set; } = "name," + System.Security.Claims.ClaimTypes.Name;

    /// <summary>Claims whose value is <c>enrichment_first_name</c>. Default <c>given_name</c> and <see cref="System.Security.Claims.ClaimTypes.GivenName"/>.</summary>
    public string GivenNameClaimTypes { get; set; } = "given_name," + System.Security.Claims.ClaimTypes.GivenName;

    /// <summary>Claims whose value is <c>enrichment_last_name</c>. Default <c>family_name</c> and <see cref="System.Security.Claims.ClaimTypes.Surname"/>.</summary>
    public string FamilyNameClaimTypes { get; set; } = "family_name," + System.Security.Claims.ClaimTypes.Surname;

    /// <summary>The <c>group_type</c> of the automatic group call. Default <c>Account</c>.</summary>
    public string GroupType { get; set; } = "Account";

    /// <summary>Claims whose value is the group's <c>name</c>. Default empty: no group name is sent unless a claim is named here.</summary>
    public string GroupNameClaimTypes { get; set; } = string.Empty;

    /// <summary>Most (session, user) pairs remembered as already identified; past it all are forgotten (those users may be identified once more). Default 10,000.</summary>
    public int MaxRemembered { get; set; } = 10_000;
}
