using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// <c>&lt;ThriveStackScript /&gt;</c> in a Blazor app's <c>App.razor</c> renders AutoTrack's browser script, as the
/// <c>&lt;thrivestack-script /&gt;</c> tag helper does for MVC layouts. Blazor's enhanced navigations are counted by the
/// server; the script adds what only the browser sees (route changes of client-side code, back/forward-cache restores,
/// <c>data-thrivestack-feature</c> clicks). Renders nothing when the browser collector is off.
/// </summary>
public sealed class ThriveStackScript : ComponentBase
{
    /// <summary>The page's CSP nonce, when its Content-Security-Policy uses one.</summary>
    [Parameter]
    public string? Nonce { get; set; }

    /// <summary>The request, during static server rendering (where <c>App.razor</c> renders).</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    private IServiceProvider Services { get; set; } = null!;

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var src = ScriptTag.Source(Services, HttpContext?.Request.PathBase ?? PathString.Empty);
        if (src is null)
            return;
        builder.OpenElement(0, "script");
        builder.AddAttribute(1, "src", src);
        builder.AddAttribute(2, "defer", true);
        if (!string.IsNullOrEmpty(Nonce))
            builder.AddAttribute(3, "nonce", Nonce);
        builder.CloseElement();
    }
}
