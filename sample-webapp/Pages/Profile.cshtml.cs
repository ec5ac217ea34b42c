using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tracking;

namespace SampleWebApp.Pages;

/// <summary>Completing the profile is an onboarding step: profile_completed.</summary>
[Authorize]
public sealed class ProfileModel(IThriveStackTracker tracker) : PageModel
{
    [BindProperty]
    public string? JobTitle { get; set; }

    [BindProperty]
    public string? TeamSize { get; set; }

    public bool Completed { get; private set; }

    public void OnGet(bool completed = false) => Completed = completed;

    public IActionResult OnPost()
    {
        if (string.IsNullOrWhiteSpace(JobTitle))
            return Page();
        tracker.Track(new ProfileCompletedEvent { CompletionStatus = "completed", UserRole = User.FindFirst(ClaimTypes.Role)?.Value });
        return RedirectToPage(new { completed = true });
    }
}
