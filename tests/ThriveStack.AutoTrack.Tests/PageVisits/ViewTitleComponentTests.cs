using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>
/// <c>ViewData["Title"]</c> of MVC views and Razor Pages, read by a tag helper component as the page's <c>&lt;head&gt;</c>
/// renders; never through the host's diagnostics, whose any subscriber costs every MVC request. (The sample's views and
/// pages, rendered for real, are in the integration tests.)
/// </summary>
public class ViewTitleComponentTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("controllers")]
    [InlineData("views")]
    [InlineData("pages")]
    public async Task AutoTrack_NeverTurnsOnTheHostsDiagnostics(string mvc)
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

        app.UseThriveStackTracking();

        Assert.False(app.Services.GetRequiredService<DiagnosticListener>().IsEnabled());
    }

    [Fact]
    public async Task AddThriveStack_RegistersTheComponent_OnePerRender()
    {
        var builder = TestWebApp.CreateBuilder(null);
        builder.Services.AddThriveStack(); // twice: still one
        await using var app = builder.Build();

        var first = Assert.Single(app.Services.GetServices<ITagHelperComponent>());
        var second = Assert.Single(app.Services.GetServices<ITagHelperComponent>());

        Assert.IsType<ViewTitleComponent>(first);
        Assert.NotSame(first, second); // MVC sets each render's ViewContext on its own instance
    }

    [Fact]
    public void Head_OfAPageRequest_SetsTheTitle()
    {
        var (view, feature) = View(title: "Pricing");

        Render(view, "head");

        Assert.Equal("Pricing", feature.PageTitle);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("HEAD")]
    public void OnlyTheHead_IsRead(string tag)
    {
        var (view, feature) = View(title: "Pricing");

        Render(view, tag);

        Assert.Equal(tag == "HEAD" ? "Pricing" : null, feature.PageTitle);
    }

    [Fact]
    public void ATitleAlreadySet_Wins()
    {
        var (view, feature) = View(title: "From the view");
        feature.PageTitle = "From the app";

        Render(view, "head");

        Assert.Equal("From the app", feature.PageTitle);
    }

    [Theory]
    [InlineData(false, "Pricing")] // not a page the middleware looks at
    [InlineData(true, "")]
    [InlineData(true, null)]
    public void NothingToRead_LeavesTheTitleUnset(bool pageRequest, string? title)
    {
        var (view, feature) = View(title, pageRequest);

        Render(view, "head");

        Assert.Null(feature.PageTitle);
    }

    [Fact]
    public void ANonStringTitle_OrARequestAutoTrackDoesNotTrack_IsIgnored()
    {
        var (view, feature) = View(title: null);
        view.ViewData["Title"] = 42;
        Render(view, "head");
        Assert.Null(feature.PageTitle);

        var untracked = new ViewContext { HttpContext = new DefaultHttpContext(), ViewData = NewViewData() };
        untracked.ViewData["Title"] = "Pricing";
        Render(untracked, "head"); // no AutoTrack feature on the request: nothing to do, nothing thrown
        Render(null, "head");       // rendered outside a view
    }

    private static (ViewContext View, ThriveStackRequestFeature Feature) View(string? title, bool pageRequest = true)
    {
        var http = new DefaultHttpContext();
        var feature = new ThriveStackRequestFeature { IsPageRequest = pageRequest };
        RequestFeatures.SetTracking(http, feature);
        var view = new ViewContext { HttpContext = http, ViewData = NewViewData() };
        if (title is not null)
            view.ViewData["Title"] = title;
        return (view, feature);
    }

    private static ViewDataDictionary NewViewData() => new(new EmptyModelMetadataProvider(), new ModelStateDictionary());

    private static void Render(ViewContext? view, string tag)
    {
        var component = new ViewTitleComponent { ViewContext = view };
        var context = new TagHelperContext(tag, [], new Dictionary<object, object>(), "id");
        var output = new TagHelperOutput(tag, [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        component.Init(context);
        component.ProcessAsync(context, output).GetAwaiter().GetResult();
        Assert.True(output.Content.IsEmptyOrWhiteSpace && output.PreContent.IsEmptyOrWhiteSpace && output.PostContent.IsEmptyOrWhiteSpace);
    }
}
