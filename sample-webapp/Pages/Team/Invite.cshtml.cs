using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleWebApp.Services;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Tracking;

namespace SampleWebApp.Pages.Team;

/// <summary>Viral actions: invite_sent, and account_added_user when a member is added.</summary>
[Authorize]
public sealed class InviteModel(DemoDirectory directory, IThriveStackTracker tracker) : PageModel
{
    public IReadOnlyList<DemoUser> Members { get; private set; } = [];

    public string? Message { get; private set; }

    private string AccountId => User.FindFirst("group_id")?.Value ?? "";

    public void OnGet(string? message = null)
    {
        Members = directory.Members(AccountId).ToList();
        Message = message;
    }

    [TrackFeature("team_management", FeatureType = FeatureTypes.Secondary, SubFeature = "invite", Properties = ["role"])]
    public IActionResult OnPostInvite(string email, string role)
    {
        tracker.Track(new InviteSentEvent { InviteeEmail = email, InviteeRole = role, FeatureName = "team" });
        return RedirectToPage(new { message = $"Invitation sent to {email}." });
    }

    public IActionResult OnPostAdd(string name, string email)
    {
        var account = directory.FindAccount(AccountId);
        if (account is null)
            return RedirectToPage(new { message = "No account." });
        var user = directory.AddUser(name, email, account.Id, "member");
        tracker.Track(new AccountAddedUserEvent { UserId = user.Id, AccountId = account.Id, AccountName = account.Name, UserEmail = user.Email });
        return RedirectToPage(new { message = $"{name} was added." });
    }
}
