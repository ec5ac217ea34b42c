using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>The MVC title observer listens only where Razor views can raise its event: any listener costs every request.</summary>
public class PageTitleObserverTests
{
    [Theory]
    [InlineData("none", false)]
    [InlineData("controllers", false)] // an API: no views
    [InlineData("views", true)]
    [InlineData("pages", true)]
    public async Task UseThriveStackTracking_ListensToTheHostsDiagnosticsOnlyWithRazorViews(string mvc, bool listens)
    {
        var builder = TestWebApp.CreateBuilder(null);
        _ = mvc switch
        {
            "controllers" => builder.Services.AddControllers(),
            "views" => builder.Services.AddControllersWithViews(),
            "pages" => builder.Services.AddRazorPages(),
            _ => null,
        };
        await using var app = builder.Build();
        var diagnostics = app.Services.GetRequiredService<DiagnosticListener>();
        Assert.False(diagnostics.IsEnabled()); // nothing else of the host's listens

        app.UseThriveStackTracking();

        Assert.Equal(listens, diagnostics.IsEnabled());
    }
}
