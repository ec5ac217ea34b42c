using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// Where identify and group records enter their pipelines: the request's signed-in user and account fill what the caller
/// left out, the record is checked and queued on its own pipeline, and every drop is counted (tagged with its kind) and
/// logged by field, never by value. It also sends the automatic identify and group (<see cref="AutoIdentify"/>).
/// </summary>
/// <remarks>Threads: any; the tracker calls it, never throwing into the app (the tracker catches).</remarks>
internal sealed class UserAndGroupCalls(
    DeliveryPipelines pipelines,
    RequestContextResolver requestContext,
    AutoIdentify autoIdentify,
    IOptionsMonitor<ThriveStackOptions> options,
    TimeProvider time,
    ThriveStackMetrics metrics,
    ILogger<ThriveStackTracker> logger)
{
    private readonly Configuration.LiveOptions _options = new(options);

    private readonly DropReport _drops = new(time, logger);

    public bool Identify(ThriveStackUser? user, HttpContext? http)
    {
        if (user is null)
            return Invalid(RecordKind.Identify, "the user is null");
        var request = SignedIn(http);
        var userId = user.UserId ?? request?.UserId;
        var groupId = user.GroupId ?? (userId == request?.UserId ? request?.GroupId : null);
        var queued = Enqueue(RecordKind.Identify, TraitsRecord.Of(user, userId, groupId, time.GetUtcNow()));
        if (queued && http is not null && userId is not null)
            autoIdentify.Sent(requestContext.Get(http).SessionId, userId, null, _options.Current.AutoIdentify);
        return queued;
    }

    public bool Group(ThriveStackGroup? group, HttpContext? http)
    {
        if (group is null)
            return Invalid(RecordKind.Group, "the group is null");
        var request = SignedIn(http);
        var userId = group.UserId ?? request?.UserId;
        var groupId = group.GroupId ?? request?.GroupId;
        var queued = Enqueue(RecordKind.Group, TraitsRecord.Of(group, userId, groupId, time.GetUtcNow()));
        if (queued && http is not null && userId is not null && groupId is not null)
            autoIdentify.Sent(requestContext.Get(http).SessionId, userId, groupId, _options.Current.AutoIdentify);
        return queued;
    }

    /// <summary>For an event tracked during a signed-in user's request: the identify and group this session still owes.</summary>
    public void IdentifyAutomatically(HttpContext http)
    {
        var (user, group) = autoIdentify.Owed(http, RequestContextResolver.GetFeature(http), requestContext.Get(http), _options.Current.AutoIdentify);
        if (user is not null)
            Enqueue(RecordKind.Identify, TraitsRecord.Of(user, user.UserId, user.GroupId, time.GetUtcNow()));
        if (group is not null)
            Enqueue(RecordKind.Group, TraitsRecord.Of(group, group.UserId, group.GroupId, time.GetUtcNow()));
    }

    /// <summary>The request's context when its user is signed in (an anonymous visitor's id is not a user to identify).</summary>
    private ThriveStackRequestContext? SignedIn(HttpContext? http)
        => http is not null && requestContext.Get(http) is { IsAuthenticated: true } request ? request : null;

    private bool Enqueue(RecordKind kind, TraitsRecord record)
    {
        var kindMetrics = metrics.ForKind(kind);
        var pipeline = pipelines[kind];
        if (!pipeline.IsSending || !_options.Current.Enabled)
        {
            kindMetrics.Dropped(1, DropReasons.Disabled);
            return false;
        }
        var problem = record.Validate();
        if (problem is not null)
            return Invalid(kind, problem);

        record.AcceptedAt = AcceptClock.Now(time);
        var dropReason = pipeline.TryEnqueue(record);
        if (dropReason is null)
        {
            kindMetrics.Enqueued();
            return true;
        }
        return _drops.NotQueued(kindMetrics, DropReport.Record(kind), dropReason);
    }

    private bool Invalid(RecordKind kind, string problem) => _drops.Invalid(metrics.ForKind(kind), DropReport.Record(kind), problem);
}
