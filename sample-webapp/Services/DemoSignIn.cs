using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SampleWebApp.Services;

/// <summary>Signs a demo user in with a cookie: the claims AutoTrack reads are the user id, the account (group_id) and the role; for the automatic identify and group, the e-mail, the name and the account's name (AutoIdentify:GroupNameClaimTypes in appsettings.json).</summary>
public static class DemoSignIn
{
    public static Task SignInAsync(HttpContext context, DemoUser user, DemoAccount? account)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim("group_id", user.AccountId),
            new Claim("account_name", account?.Name ?? ""),
        ], CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }
}
