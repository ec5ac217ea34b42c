using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// The one place that turns <c>[TrackFeature]</c> / <c>[TrackEvent]</c> (MVC, Razor Pages, minimal APIs) into events:
/// captures the named properties when the action starts, sends the events when it has finished, at most once per request.
/// Never throws into the action: a value that cannot be read is skipped and counted.
/// </summary>
internal sealed class FeatureEventEmitter
{
    /// <summary>Longest captured string value, in characters.</summary>
    public const int MaxValueLength = 256;

    private readonly IThriveStackTracker _tracker;
    private readonly Configuration.LiveOptions _options;
    private readonly ThriveStackMetrics _metrics;
    private readonly TrackingFailure _failure;

    public FeatureEventEmitter(
        IThriveStackTracker tracker,
        IOptionsMonitor<ThriveStackOptions> options,
        ThriveStackMetrics metrics,
        TimeProvider time,
        ILogger<FeatureEventEmitter> logger)
    {
        _tracker = tracker;
        _options = new Configuration.LiveOptions(options);
        _metrics = metrics;
        _failure = TrackingFailure.OfFeature(metrics, time, logger);
    }

    /// <summary>Records what the request owes and captures its properties; a second call for the same request does nothing.</summary>
    public void Begin(HttpContext http, ITrackedActionMetadata?[] metadata, ActionArguments arguments)
    {
        try
        {
            var feature = RequestContextResolver.GetFeature(http);
            if (feature.TrackedAction is not null)
                return;
            var properties = new Dictionary<string, object?>?[metadata.Length];
            for (var i = 0; i < metadata.Length; i++)
            {
                if (metadata[i] is { Properties.Length: > 0 } m)
                    properties[i] = Capture(http, m.Properties, arguments);
            }
            feature.TrackedAction = new TrackedAction(metadata, properties);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>Sends the events the request owes, once: on success, or on failure too when <c>TrackFailures</c> is on.</summary>
    public void Complete(HttpContext http, int statusCode, bool threw)
    {
        try
        {
            if (RequestFeatures.Tracking(http)?.TrackedAction is not { Completed: false } action)
                return;
            action.Completed = true;

            var options = _options.Current.Features;
            var success = !threw && statusCode < 400;
            if (!success && !options.TrackFailures)
                return;

            for (var i = 0; i < action.Metadata.Length; i++)
            {
                if (action.Metadata[i] is not { } metadata)
                    continue;
                var e = Build(http, metadata, options); // the tracker's enricher adds the request's ids
                if (action.Properties[i] is { } captured)
                {
                    foreach (var (name, value) in captured)
                        e.Properties![name] = value;
                }
                if (options.TrackFailures)
                {
                    e.Properties!["outcome"] = success ? "success" : "failure";
                    if (!success)
                        e.Properties!["status_code"] = threw && statusCode < 400 ? 500 : statusCode;
                }
                _tracker.Track(e);
            }
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    private static ThriveStackEvent Build(HttpContext http, ITrackedActionMetadata metadata, FeatureTrackingOptions options)
    {
        if (metadata is TrackFeatureAttribute feature)
        {
            var e = ThriveStackEvent.FeatureUsed(null, feature.FeatureName, feature.FeatureType, UserRole(http, options));
            if (!string.IsNullOrEmpty(feature.SubFeature))
                e.Properties![ReservedProperties.SubFeatureName] = feature.SubFeature;
            return e;
        }
        return new ThriveStackEvent(metadata.EventName) { Properties = new Dictionary<string, object?>(StringComparer.Ordinal) };
    }

    private static string? UserRole(HttpContext http, FeatureTrackingOptions options)
    {
        var role = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(options.RoleClaimType)?.Value : null;
        return role is { Length: > MaxValueLength } ? role[..MaxValueLength] : role;
    }

    private Dictionary<string, object?> Capture(HttpContext http, string[] names, ActionArguments arguments)
    {
        var captured = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name))
                continue;
            object? raw;
            try
            {
                if (!arguments.TryGet(name, out raw) &&
                    !http.Request.RouteValues.TryGetValue(name, out raw) &&
                    !(http.Request.QueryString.HasValue && http.Request.Query.TryGetValue(name, out var query) && (raw = query) is not null))
                {
                    Skipped("missing");
                    continue;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
            {
                Skipped("unreadable");
                continue;
            }

            var (value, problem) = Simple(raw);
            if (problem is null)
                captured[name] = value;
            else
                Skipped(problem);
        }
        return captured;
    }

    /// <summary>A simple value as it will be sent, or why it is skipped. No reflection over the app's types.</summary>
    internal static (object? Value, string? Problem) Simple(object? raw) => raw switch
    {
        null => (null, "null"),
        string s => (Bounded(s), null),
        StringValues { Count: > 0 } sv when sv[0] is { } first => (Bounded(first), null),
        StringValues => (null, "null"),
        bool or int or long or short or byte or sbyte or ushort or uint or ulong or decimal or DateTime or DateTimeOffset or DateOnly => (raw, null),
        double d => double.IsFinite(d) ? (d, null) : (null, "unsupported"),
        float f => float.IsFinite(f) ? (f, null) : (null, "unsupported"),
        Guid g => (g.ToString(), null),
        char c => (c.ToString(), null),
        Enum en => (en.ToString(), null),
        TimeSpan ts => (ts.ToString("c", CultureInfo.InvariantCulture), null),
        _ => (null, "unsupported"),
    };

    private static string Bounded(string value) => value.Length > MaxValueLength ? value[..MaxValueLength] : value;

    private void Skipped(string reason) => _metrics.PropertySkipped(reason);

    private void Failed(Exception ex) => _failure.Report(ex);
}
