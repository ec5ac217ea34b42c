using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SampleWebApp.Controllers;

/// <summary>The public marketing pages.</summary>
public sealed class HomeController : Controller
{
    [HttpGet("/")]
    public IActionResult Index() => View();

    [HttpGet("/pricing")]
    public IActionResult Pricing() => View();

    /// <summary>
    /// The error page the exception handler and status-code pages render; never a page visit (4xx/5xx). Any method:
    /// re-execution keeps the failed request's method (an error after a POST re-executes as a POST).
    /// </summary>
    [Route("/error")]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Error(int? status)
    {
        var code = status ?? (HttpContext.Features.Get<IExceptionHandlerFeature>() is null ? 404 : 500);
        Response.StatusCode = code;
        return View(code);
    }
}
