using System.Diagnostics.Metrics;

namespace ThriveStack.AutoTrack.Diagnostics;

/// <summary>
/// The instruments of the <c>ThriveStack.AutoTrack</c> meter. Created through <see cref="IMeterFactory"/> so each
/// host (and each test host) gets its own meter.
/// </summary>
internal sealed class ThriveStackMetrics
{
    /// <summary>The meter name to subscribe to (dotnet-counters, OpenTelemetry <c>AddMeter</c>).</summary>
    public const string MeterName = "ThriveStack.AutoTrack";

    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _batches;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _propertiesSkipped;
    private readonly Counter<long> _userAgentTimeouts;
    private readonly Counter<long> _botsSkipped;

    private readonly Counter<long> _retries;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _apiWarnings;
    private Dispatch.IDeliveryMonitor? _dispatcher;

    public ThriveStackMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _enqueued = meter.CreateCounter<long>("thrivestack.events.enqueued", "{event}", "Events accepted into the queue.");
        _sent = meter.CreateCounter<long>("thrivestack.events.sent", "{event}", "Events the track API accepted.");
        _dropped = meter.CreateCounter<long>("thrivestack.events.dropped", "{event}", "Events that will not be delivered, by reason.");
        _batches = meter.CreateCounter<long>("thrivestack.batches.sent", "{batch}", "Batches posted to the track API, by outcome.");
        _batchDuration = meter.CreateHistogram<double>("thrivestack.batch.duration", "s", "Time to post one batch.");
        _propertiesSkipped = meter.CreateCounter<long>("thrivestack.properties.skipped", "{property}",
            "[TrackFeature]/[TrackEvent] properties that could not be captured, by reason: missing, null, unsupported, unreadable.");
        _userAgentTimeouts = meter.CreateCounter<long>("thrivestack.useragents.timeouts", "{match}", "User-agent rule matches that timed out (the part became Other).");
        _botsSkipped = meter.CreateCounter<long>("thrivestack.page_visits.bots", "{request}", "Page views by bots, not tracked (or tracked as device_type=bot when TrackBots is on).");
        _retries = meter.CreateCounter<long>("thrivestack.delivery.retries", "{batch}", "Batches that failed transiently or were rate limited and will be retried.");
        _spooled = meter.CreateCounter<long>("thrivestack.events.spooled", "{event}", "Events put in the backlog (spool) because the track API could not take them then.");
        _apiWarnings = meter.CreateCounter<long>("thrivestack.api.warnings", "{warning}", "Warnings in the track API's answers to delivered batches (e.g. a standard event missing a field a report needs).");
        meter.CreateObservableGauge("thrivestack.queue.length", () => _dispatcher?.QueueLength ?? 0, "{event}", "Events waiting in the in-memory queue.");
        meter.CreateObservableGauge("thrivestack.spool.events", () => _dispatcher?.BacklogCount ?? 0, "{event}", "Events waiting in the backlog (the spool, or memory).");
        meter.CreateObservableGauge("thrivestack.spool.size", () => _dispatcher?.BacklogBytes ?? 0, "By", "Bytes of event JSON in the backlog.");
        meter.CreateObservableGauge("thrivestack.delivery.paused", ObservePause, "{state}",
            "1 while sending is paused, tagged with the reason (retrying, rate_limited, key_refused); 0 while delivering.");
    }

    /// <summary>Where the gauges read from: the pipeline, created after the metrics (the DI registration connects them).</summary>
    public void Observe(Dispatch.IDeliveryMonitor pipeline) => _dispatcher = pipeline;

    private Measurement<int> ObservePause()
    {
        var status = _dispatcher?.State.Status ?? Dispatch.DeliveryStatus.Delivering;
        return status switch
        {
            Dispatch.DeliveryStatus.Retrying => new Measurement<int>(1, new KeyValuePair<string, object?>("reason", "retrying")),
            Dispatch.DeliveryStatus.RateLimited => new Measurement<int>(1, new KeyValuePair<string, object?>("reason", "rate_limited")),
            Dispatch.DeliveryStatus.KeyRefused => new Measurement<int>(1, new KeyValuePair<string, object?>("reason", "key_refused")),
            _ => new Measurement<int>(0),
        };
    }

    public void Retried() => _retries.Add(1);

    public void ApiWarnings(long count) => _apiWarnings.Add(count);

    public void Spooled(long count) => _spooled.Add(count);

    public void Enqueued() => _enqueued.Add(1);

    public void Sent(long count) => _sent.Add(count);

    public void Dropped(long count, string reason) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void UserAgentTimeout() => _userAgentTimeouts.Add(1);

    public void BotPageView() => _botsSkipped.Add(1);

    public void PropertySkipped(string reason) => _propertiesSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BatchSent(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _batches.Add(1, tag);
        _batchDuration.Record(duration.TotalSeconds, tag);
    }
}
