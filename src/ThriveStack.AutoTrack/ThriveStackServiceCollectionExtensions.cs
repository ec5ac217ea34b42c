using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack;
using ThriveStack.AutoTrack.Configuration;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.EventsPage;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;
using ThriveStack.AutoTrack.Tracking;
using ThriveStack.AutoTrack.UserAgents;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AutoTrack: <c>builder.Services.AddThriveStack()</c>.</summary>
public static class ThriveStackServiceCollectionExtensions
{
    /// <summary>
    /// Adds AutoTrack with options bound from the <c>ThriveStack</c> configuration section. Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddThriveStack(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (AddCore(services).FirstBinding(ThriveStackMarker.DefaultSection))
            Bind(services, sp => sp.GetRequiredService<IConfiguration>().GetSection(ThriveStackOptions.SectionName),
                o => o.BindConfiguration(ThriveStackOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Adds AutoTrack with options bound from the <c>ThriveStack</c> configuration section, then changed by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options after configuration is applied.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddThriveStack(this IServiceCollection services, Action<ThriveStackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddThriveStack(services);
        services.Configure(configure);
        return services;
    }

    /// <summary>Adds AutoTrack with options bound from <paramref name="configuration"/> (a section such as <c>ThriveStack</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddThriveStack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (AddCore(services).FirstBinding(configuration))
            Bind(services, _ => configuration, o => o.Bind(configuration));
        return services;
    }

    /// <summary>
    /// Binds the options from a section, with a check before (unknown keys warned with the closest valid one, values that
    /// do not convert fail with the valid ones) and a step after (list options given as one comma-separated value).
    /// Configure steps run in registration order, so the three run in this order.
    /// </summary>
    private static void Bind(IServiceCollection services, Func<IServiceProvider, IConfiguration> section, Action<OptionsBuilder<ThriveStackOptions>> bind)
    {
        services.AddSingleton<IConfigureOptions<ThriveStackOptions>>(sp => new CheckBeforeBinding(section(sp),
            sp.GetService<ILoggerFactory>()?.CreateLogger("ThriveStack.AutoTrack.Configuration") ?? NullLogger.Instance));
        bind(services.AddOptions<ThriveStackOptions>());
        services.AddSingleton<IConfigureOptions<ThriveStackOptions>>(sp => new ListsFromOneValue(section(sp)));
    }

    /// <summary>
    /// A POST of events must never follow a redirect: the client would re-send it as a GET, whose 200 would count the
    /// events as delivered. A 3xx is answered as a configuration problem instead (logged with its Location, retried).
    /// </summary>
    private static void DoNotFollowRedirects(HttpMessageHandler handler)
    {
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }

    /// <summary>Registers the services once; returns the marker that remembers which configuration is already bound.</summary>
    private static ThriveStackMarker AddCore(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ThriveStackMarker) && descriptor.ImplementationInstance is ThriveStackMarker existing)
                return existing;
        }
        var marker = new ThriveStackMarker();
        services.AddSingleton(marker);

        services.AddOptionsWithValidateOnStart<ThriveStackOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ThriveStackOptions>, ThriveStackOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ThriveStackMetrics>();
        services.TryAddSingleton<ApiWarnings>();

        // HttpClient's own loggers put raw header values (the API key) into their structured log state, where
        // redaction does not reach; AutoTrack logs every failed batch itself.
        services.AddHttpClient(HttpBatchTransport.ClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // RequestTimeout applies per request
            .ConfigurePrimaryHttpMessageHandler(static (handler, _) => DoNotFollowRedirects(handler))
            .RemoveAllLoggers();
        // In Development with no API key, events go to the events page's log instead of the network.
        services.TryAddSingleton<LocalEventLog>();
        services.TryAddSingleton<IBatchTransport>(sp => sp.GetRequiredService<LocalEventLog>().IsLocalDelivery
            ? new LocalTransport(sp.GetRequiredService<LocalEventLog>())
            : ActivatorUtilities.CreateInstance<HttpBatchTransport>(sp));

        // The composition root connects the metrics' gauges to the pipeline; neither knows the other's concrete type.
        // One pipeline per endpoint (track, identify, group), all through the one transport.
        services.TryAddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<ThriveStackMetrics>();
            EventDispatcher Pipeline(RecordKind kind)
            {
                var pipeline = ActivatorUtilities.CreateInstance<EventDispatcher>(sp, kind);
                metrics.Observe(kind, pipeline);
                return pipeline;
            }
            return new DeliveryPipelines(Pipeline(RecordKind.Track), Pipeline(RecordKind.Identify), Pipeline(RecordKind.Group));
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<DeliveryPipelines>().Track);
        services.TryAddSingleton<IDeliveryMonitor>(sp => sp.GetRequiredService<EventDispatcher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeliveryPipelines>(sp => sp.GetRequiredService<DeliveryPipelines>()));
        services.TryAddSingleton<IThriveStackTracker, ThriveStackTracker>();
        services.AddHealthChecks().AddCheck<ThriveStackHealthCheck>(ThriveStackHealthCheck.Name, tags: [ThriveStackHealthCheck.Name]);

        // The request an app's Track call is made during, without IHttpContextAccessor (which stops the host reusing
        // its HttpContext objects); an app that registers an accessor keeps it, and AutoTrack reads that one.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, CurrentRequest.StartupFilter>());
        services.TryAddSingleton<RequestContextResolver>();
        services.TryAddSingleton<RequestEnricher>();
        services.TryAddSingleton<AutoIdentify>();
        services.TryAddSingleton<UserAndGroupCalls>();

        services.TryAddSingleton(sp => new UserAgentParser(
            sp.GetRequiredService<IOptions<ThriveStackOptions>>().Value.UserAgents, sp.GetRequiredService<ThriveStackMetrics>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UserAgentWarmupService>());

        services.TryAddSingleton<ThriveStack.AutoTrack.Browser.BrowserEvents>();
        services.TryAddSingleton<ThriveStack.AutoTrack.Browser.BrowserCollector>();

        services.TryAddSingleton<FeatureEventEmitter>();
        // Only on tracked actions and pages, as an instance MVC caches with the action's filter pipeline; without naming
        // MVC's option types, so an app that does not use MVC never loads it (MvcIntegration).
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IPostConfigureOptions<>), typeof(MvcIntegration.ConventionsSetup<>)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, TrackedNameStartupFilter>());
        // page_title from ViewData["Title"] of MVC views and Razor Pages, read as their <head> renders. Names only the
        // Razor assembly's component types (59 KB), not MVC's; an app without Razor views never runs it.
        services.TryAddEnumerable(ServiceDescriptor.Transient<ITagHelperComponent, ViewTitleComponent>());
        return marker;
    }
}
