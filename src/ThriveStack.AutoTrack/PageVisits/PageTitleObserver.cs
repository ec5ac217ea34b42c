using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Picks up <c>ViewData["Title"]</c> from MVC views and Razor Pages for the page visit's <c>page_title</c>. A view usually
/// sets the title while it renders, on its own copy of the view data, so the only place to read it is the view's
/// <c>ViewContext</c> after the page has run: MVC's <c>AfterViewPage</c> diagnostic event. Only that event is enabled.
/// </summary>
internal sealed class PageTitleObserver : IObserver<KeyValuePair<string, object?>>
{
    /// <summary>True when the app can render Razor views (MVC views, Razor Pages): the only source of the event.</summary>
    /// <remarks>
    /// An app that registered views has loaded MVC's view assembly by now; only then is the view engine's type named,
    /// because naming it loads that assembly into every app (a minimal-API app loads none of MVC's).
    /// </remarks>
    public static bool HasViews(IServiceProvider services)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name == "Microsoft.AspNetCore.Mvc.ViewFeatures")
                return IsViewEngineRegistered(services);
        }
        return false;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsViewEngineRegistered(IServiceProvider services)
        => services.GetService<IServiceProviderIsService>() is not { } isService
           || isService.IsService(typeof(Microsoft.AspNetCore.Mvc.ViewEngines.ICompositeViewEngine));

    public static IDisposable Subscribe(DiagnosticListener listener)
        => listener.Subscribe(new PageTitleObserver(), static (name, _, _) => name == AfterViewPageEventData.EventName);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is not AfterViewPageEventData data)
            return;
        var feature = RequestFeatures.Tracking(data.HttpContext);
        if (feature is { IsPageRequest: true, PageTitle: null } && data.ViewContext.ViewData["Title"] is string { Length: > 0 } title)
            feature.PageTitle = title;
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
