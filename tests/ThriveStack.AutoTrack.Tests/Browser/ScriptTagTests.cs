using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ThriveStack.AutoTrack.Browser;

namespace ThriveStack.AutoTrack.Tests.Browser;

/// <summary>The one line that includes the script: the tag helper for MVC layouts and the component for Blazor.</summary>
public sealed class ScriptTagTests
{
    [Fact]
    public void TagHelper_RendersTheHashedScriptUnderThePathBase_WithNonce()
    {
        using var services = Services();
        var html = Html(Render(services, "/shop", nonce: "r4nd0m"));

        var hash = services.GetRequiredService<BrowserCollector>().Script.Hash;
        Assert.Matches("^[0-9a-f]{16}$", hash);
        Assert.Equal($"<script src=\"/shop/_thrivestack/autotrack.js?v={hash}\" defer nonce=\"r4nd0m\"></script>", html);
    }

    [Fact]
    public void TagHelper_WithoutNonce_RendersWhatTheComponentRenders()
    {
        using var services = Services();

        var first = Html(Render(services, "", nonce: null));
        var again = Html(Render(services, "", nonce: ""));

        var hash = services.GetRequiredService<BrowserCollector>().Script.Hash;
        Assert.Equal($"<script src=\"/_thrivestack/autotrack.js?v={hash}\" defer></script>", first);
        Assert.Equal(first, again);
    }

    [Fact]
    public void TagHelper_EncodesThePathBaseAndTheNonce()
    {
        using var services = Services();

        var html = Html(Render(services, "/a\"b<c", nonce: "x\"><script>"));

        Assert.StartsWith("<script src=\"/a&quot;b&lt;c/_thrivestack/autotrack.js?v=", html, StringComparison.Ordinal);
        Assert.EndsWith("\" defer nonce=\"x&quot;&gt;&lt;script&gt;\"></script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TagHelper_RenderedUnderDifferentPathBases_EachGetsItsOwnUrl()
    {
        using var services = Services();

        string Src(string pathBase) => Html(Render(services, pathBase, nonce: null));

        Assert.StartsWith("<script src=\"/a/_thrivestack/autotrack.js?v=", Src("/a"), StringComparison.Ordinal);
        Assert.StartsWith("<script src=\"/a/_thrivestack/autotrack.js?v=", Src("/a"), StringComparison.Ordinal);
        Assert.StartsWith("<script src=\"/b/_thrivestack/autotrack.js?v=", Src("/b"), StringComparison.Ordinal);
        Assert.StartsWith("<script src=\"/_thrivestack/autotrack.js?v=", Src(""), StringComparison.Ordinal);
        Assert.StartsWith("<script src=\"/a/_thrivestack/autotrack.js?v=", Src("/a"), StringComparison.Ordinal);
    }

    [Fact]
    public void TagHelper_WithoutAddThriveStack_SaysWhatIsMissing()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => Render(services, "", nonce: null));
        Assert.Contains("AddThriveStack()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TagHelper_BrowserCollectorOff_RendersNothing()
    {
        using var services = Services(o => o.Browser.Enabled = false);
        var output = Render(services, "", nonce: null);

        Assert.Null(output.TagName);
        Assert.Equal("", Html(output));
    }

    [Fact]
    public async Task Component_RendersTheSameScriptTag()
    {
        using var services = Services();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);

        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<ThriveStackScript>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Nonce"] = "n0nce" }));
            return output.ToHtmlString();
        });

        var hash = services.GetRequiredService<BrowserCollector>().Script.Hash;
        Assert.Equal($"<script src=\"/_thrivestack/autotrack.js?v={hash}\" defer nonce=\"n0nce\"></script>", html);
    }

    private static TagHelperOutput Render(IServiceProvider services, string pathBase, string? nonce)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.PathBase = pathBase;
        var helper = new ThriveStackScriptTagHelper { Nonce = nonce, ViewContext = new ViewContext { HttpContext = http } };
        var output = new TagHelperOutput("thrivestack-script", [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        helper.Process(new TagHelperContext([], new Dictionary<object, object>(), "id"), output);
        return output;
    }

    private static string Html(TagHelperOutput output)
    {
        using var writer = new StringWriter();
        output.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }

    private static ServiceProvider Services(Action<ThriveStackOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddThriveStack(o =>
        {
            o.ApiKey = "test";
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }
}
