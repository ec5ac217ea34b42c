using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using SampleWebApp.Services;

namespace SampleWebApp.Controllers;

/// <summary>The signed-in product page.</summary>
[Authorize]
public sealed class DashboardController(DemoDirectory directory) : Controller
{
    [HttpGet("/dashboard")]
    public IActionResult Index()
    {
        var user = directory.FindUser(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value);
        return View((user, directory.FindAccount(user?.AccountId)));
    }
}
