using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// AutoTrack's part in MVC and Razor Pages, the only code outside their filters and conventions that names their types.
/// The JIT loads an assembly when it compiles a method that names one of its types, and MVC's (Mvc.Core, Mvc.Abstractions,
/// Mvc.RazorPages) are about 1.7 MiB resident: <c>AddThriveStack</c> names none of them, so a minimal-API or Blazor app
/// never loads them. Post-configuration is registered for every options type (<see cref="ConventionsSetup{TOptions}"/>) and
/// acts on MVC's only, which an app configures only if it uses MVC, whether it adds MVC before or after AutoTrack.
/// </summary>
internal static class MvcIntegration
{
    private const string MvcOptionsName = "Microsoft.AspNetCore.Mvc.MvcOptions";
    private const string RazorPagesOptionsName = "Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions";

    private static volatile bool s_inUse;

    /// <summary>
    /// Whether <paramref name="endpoint"/> is an MVC action or Razor Page. Until some app in the process has configured MVC,
    /// false without looking (no endpoint can be one).
    /// </summary>
    public static bool IsAction(Endpoint? endpoint) => s_inUse && endpoint is not null && HasActionDescriptor(endpoint);

    [MethodImpl(MethodImplOptions.NoInlining)] // names MVC's ActionDescriptor: compiled only once MVC is in use
    private static bool HasActionDescriptor(Endpoint endpoint) => endpoint.Metadata.GetMetadata<ActionDescriptor>() is not null;

    /// <summary>Adds the feature conventions to MVC's options or Razor Pages' (by name: <typeparamref name="TOptions"/> may be any options type).</summary>
    internal static void Configure<TOptions>(TOptions options, IServiceProvider services)
        where TOptions : class
    {
        var name = typeof(TOptions).FullName;
        if (name == MvcOptionsName)
            AddToMvc(options, services);
        else if (name == RazorPagesOptionsName)
            AddToRazorPages(options, services);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddToMvc(object options, IServiceProvider services)
    {
        s_inUse = true;
        ((MvcOptions)options).Conventions.Add(new FeatureTrackingConvention(new FeatureTrackingFilter(services.GetRequiredService<FeatureEventEmitter>())));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddToRazorPages(object options, IServiceProvider services)
    {
        s_inUse = true;
        ((RazorPagesOptions)options).Conventions.Add(new FeatureTrackingConvention(new FeatureTrackingFilter(services.GetRequiredService<FeatureEventEmitter>())));
    }

    /// <summary>
    /// Registered as the open generic <c>IPostConfigureOptions&lt;&gt;</c>: built once per options type the app resolves, and
    /// a type-name comparison for all but MVC's and Razor Pages'. After configuration, as Razor Pages' own setup replaces
    /// its conventions collection, so a convention added before it (by an app that adds AutoTrack first) would be lost.
    /// </summary>
    internal sealed class ConventionsSetup<TOptions>(IServiceProvider services) : IPostConfigureOptions<TOptions>
        where TOptions : class
    {
        public void PostConfigure(string? name, TOptions options)
        {
            if (string.IsNullOrEmpty(name)) // MVC's options are unnamed
                MvcIntegration.Configure(options, services);
        }
    }
}
