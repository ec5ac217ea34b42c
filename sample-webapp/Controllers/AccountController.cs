using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SampleWebApp.Models;
using SampleWebApp.Services;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tracking;

namespace SampleWebApp.Controllers;

/// <summary>Sign-up (emits signed_up and account_created, identifies the user and their account) and a demo sign-in with no external provider.</summary>
[Route("account")]
public sealed class AccountController(DemoDirectory directory, IThriveStackTracker tracker) : Controller
{
    [HttpGet("signup")]
    public IActionResult Signup() => View(new SignupForm());

    [HttpPost("signup")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Signup(SignupForm form)
    {
        if (!ModelState.IsValid)
            return View(form);

        var domain = form.Email.Split('@').Last().ToLowerInvariant();
        var account = directory.AddAccount(form.Company, domain);
        var user = directory.AddUser(form.Name, form.Email, account.Id, "admin");

        // The visitor is still anonymous in this request: these events name the new user explicitly and share the
        // visitor's device and session, which ties the anonymous visits before sign-up to the new user.
        tracker.Track(new SignedUpEvent { UserId = user.Id, UserEmail = user.Email, UserName = user.Name, Utm = ReadUtm() });
        tracker.Track(new AccountCreatedEvent { UserId = user.Id, AccountId = account.Id, AccountName = account.Name, AccountDomain = account.Domain });
        // Who the user is (/api/identify) and which account they belong to (/api/group). Once signed in, AutoTrack
        // identifies users from their claims by itself; here it cannot yet, and the form knows more.
        tracker.Identify(new ThriveStackUser { UserId = user.Id, GroupId = account.Id, Email = user.Email, FullName = user.Name, CompanyName = account.Name });
        tracker.Group(new ThriveStackGroup { GroupId = account.Id, UserId = user.Id, GroupType = "Account", Name = account.Name, Domain = account.Domain });

        await DemoSignIn.SignInAsync(HttpContext, user, account);
        return Redirect("/dashboard");
    }

    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl, Users = directory.Users.ToList() });

    [HttpPost("login")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Login(string userId, string? returnUrl)
    {
        var user = directory.FindUser(userId);
        if (user is null)
            return View(new LoginForm { ReturnUrl = returnUrl, Users = directory.Users.ToList(), Error = "Pick a user." });
        await DemoSignIn.SignInAsync(HttpContext, user, directory.FindAccount(user.AccountId));
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/dashboard");
    }

    [HttpPost("logout")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Logout()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/");
    }

    /// <summary>The UTM parameters the visitor arrived with, kept by the layout in a first-party cookie.</summary>
    private UtmParameters? ReadUtm()
    {
        var cookie = Request.Cookies["sample_utm"];
        if (string.IsNullOrEmpty(cookie))
            return null;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(cookie);
        string? Get(string name) => query.TryGetValue(name, out var value) ? value.FirstOrDefault() : null;
        return new UtmParameters(Get("utm_source"), Get("utm_medium"), Get("utm_campaign"), Get("utm_term"), Get("utm_content"));
    }
}
