using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// When the pipeline is built, checks every endpoint's <c>[TrackFeature]</c> / <c>[TrackEvent]</c>: event names against the
/// naming convention, feature names for snake_case, feature types against the API's list. Each problem is logged once;
/// with <c>StrictEventNames</c> the host fails to start. (Handler-level attributes on Razor Pages are not endpoint
/// metadata; their names are checked when first tracked.)
/// </summary>
internal sealed partial class TrackedNameStartupFilter(IOptions<ThriveStackOptions> options, ILogger<TrackedNameStartupFilter> logger) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        var endpoints = app.ApplicationServices.GetService<EndpointDataSource>()?.Endpoints ?? [];
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            foreach (var metadata in endpoint.Metadata.GetOrderedMetadata<ITrackedActionMetadata>())
                Check(metadata, problems);
        }
        foreach (var problem in problems)
            Log.TrackedNameInvalid(logger, problem);
        if (problems.Count > 0 && options.Value.StrictEventNames)
        {
            throw new InvalidOperationException("ThriveStack: tracked names break the naming rules (StrictEventNames is on): " +
                string.Join("; ", problems) + ". Use snake_case, and object + past-tense verb for event names (e.g. report_shared).");
        }
    };

    internal static void Check(ITrackedActionMetadata metadata, ISet<string> problems)
    {
        if (metadata is TrackFeatureAttribute feature)
        {
            if (!IsSnakeCase(feature.FeatureName))
                problems.Add($"feature name '{feature.FeatureName}' is not snake_case");
            if (feature.FeatureType is { } type && type is not (FeatureTypes.Core or FeatureTypes.Secondary or FeatureTypes.AddOn))
                problems.Add($"feature type '{type}' of '{feature.FeatureName}' is not core, secondary or add-on");
        }
        else if (!EventNameConvention.IsConventional(metadata.EventName))
        {
            problems.Add($"event name '{metadata.EventName}' is not object + past-tense verb in snake_case");
        }
    }

    private static bool IsSnakeCase(string name)
        => name.Length is > 0 and <= EventLimits.MaxEventNameLength && char.IsAsciiLetterLower(name[0]) &&
           !name.EndsWith('_') && !name.Contains("__", StringComparison.Ordinal) &&
           name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static partial class Log
    {
        [LoggerMessage(LogEvents.TrackedNameInvalid, LogLevel.Warning, "ThriveStack: {Problem}.")]
        public static partial void TrackedNameInvalid(ILogger logger, string problem);
    }
}
