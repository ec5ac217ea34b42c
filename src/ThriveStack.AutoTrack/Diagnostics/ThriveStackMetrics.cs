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

    private readonly Instruments _instruments;
    private readonly KeyValuePair<string, object?> _kind; // the pipeline's kind tag: track, identify or group
    private readonly ThriveStackMetrics[] _byKind;

    public ThriveStackMetrics(IMeterFactory meterFactory)
    {
        _instruments = new Instruments(meterFactory.Create(MeterName), this);
        _kind = KindTag(Dispatch.RecordKind.Track);
        _byKind = new ThriveStackMetrics[Dispatch.RecordKinds.All.Length];
        _byKind[(int)Dispatch.RecordKind.Track] = this;
        _byKind[(int)Dispatch.RecordKind.Identify] = new ThriveStackMetrics(_instruments, Dispatch.RecordKind.Identify);
        _byKind[(int)Dispatch.RecordKind.Group] = new ThriveStackMetrics(_instruments, Dispatch.RecordKind.Group);
    }

    private ThriveStackMetrics(Instruments instruments, Dispatch.RecordKind kind)
    {
        _instruments = instruments;
        _kind = KindTag(kind);
        _byKind = instruments.Root._byKind;
    }

    /// <summary>The same instruments, with measurements tagged <c>kind</c> = <paramref name="kind"/> (the instance DI hands out is track's).</summary>
    public ThriveStackMetrics ForKind(Dispatch.RecordKind kind) => _byKind[(int)kind];

    /// <summary>Where the gauges read from: each kind's pipeline, created after the metrics (the DI registration connects them).</summary>
    public void Observe(Dispatch.RecordKind kind, Dispatch.IDeliveryMonitor pipeline) => _instruments.Pipelines[(int)kind] = pipeline;

    /// <summary>Where the gauges read from for track events (tests and benchmarks with one pipeline).</summary>
    public void Observe(Dispatch.IDeliveryMonitor pipeline) => Observe(Dispatch.RecordKind.Track, pipeline);

    public void Retried() => _instruments.Retries.Add(1, _kind);

    public void ApiWarnings(long count) => _instruments.ApiWarnings.Add(count, _kind);

    public void Spooled(long count) => _instruments.Spooled.Add(count, _kind);

    public void Enqueued() => _instruments.Enqueued.Add(1, _kind);

    public void Sent(long count) => _instruments.Sent.Add(count, _kind);

    public void Dropped(long count, string reason) => _instruments.Dropped.Add(count, new KeyValuePair<string, object?>("reason", reason), _kind);

    public void BrowserRequest(string outcome) => _instruments.BrowserRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void UserAgentTimeout() => _instruments.UserAgentTimeouts.Add(1);

    public void BotPageView() => _instruments.BotsSkipped.Add(1);

    public void PropertySkipped(string reason) => _instruments.PropertiesSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BatchSent(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _instruments.Batches.Add(1, tag, _kind);
        _instruments.BatchDuration.Record(duration.TotalSeconds, tag, _kind);
    }

    private static KeyValuePair<string, object?> KindTag(Dispatch.RecordKind kind) => new("kind", Dispatch.RecordKinds.Name(kind));

    /// <summary>The meter's instruments, shared by the per-kind views; the gauges read every observed pipeline.</summary>
    private sealed class Instruments
    {
        public readonly Counter<long> Enqueued;
        public readonly Counter<long> Sent;
        public readonly Counter<long> Dropped;
        public readonly Counter<long> Batches;
        public readonly Histogram<double> BatchDuration;
        public readonly Counter<long> PropertiesSkipped;
        public readonly Counter<long> UserAgentTimeouts;
        public readonly Counter<long> BotsSkipped;
        public readonly Counter<long> Retries;
        public readonly Counter<long> Spooled;
        public readonly Counter<long> ApiWarnings;
        public readonly Counter<long> BrowserRequests;
        public readonly Dispatch.IDeliveryMonitor?[] Pipelines = new Dispatch.IDeliveryMonitor?[Dispatch.RecordKinds.All.Length];

        public readonly ThriveStackMetrics Root; // track's view, which holds the per-kind views

        public Instruments(Meter meter, ThriveStackMetrics root)
        {
            Root = root;
            Enqueued = meter.CreateCounter<long>("thrivestack.events.enqueued", "{event}", "Records accepted into a queue, by kind (track, identify, group).");
            Sent = meter.CreateCounter<long>("thrivestack.events.sent", "{event}", "Records the API accepted, by kind.");
            Dropped = meter.CreateCounter<long>("thrivestack.events.dropped", "{event}", "Records that will not be delivered, by reason and kind.");
            Batches = meter.CreateCounter<long>("thrivestack.batches.sent", "{batch}", "Batches posted to the API, by outcome and kind.");
            BatchDuration = meter.CreateHistogram<double>("thrivestack.batch.duration", "s", "Time to post one batch.");
            PropertiesSkipped = meter.CreateCounter<long>("thrivestack.properties.skipped", "{property}",
                "[TrackFeature]/[TrackEvent] properties that could not be captured, by reason: missing, null, unsupported, unreadable.");
            UserAgentTimeouts = meter.CreateCounter<long>("thrivestack.useragents.timeouts", "{match}", "User-agent rule matches that timed out (the part became Other).");
            BotsSkipped = meter.CreateCounter<long>("thrivestack.page_visits.bots", "{request}", "Page views by bots, not tracked (or tracked as device_type=bot when TrackBots is on).");
            Retries = meter.CreateCounter<long>("thrivestack.delivery.retries", "{batch}", "Batches that failed transiently or were rate limited and will be retried, by kind.");
            Spooled = meter.CreateCounter<long>("thrivestack.events.spooled", "{event}", "Records put in the backlog (spool) because the API could not take them then, by kind.");
            ApiWarnings = meter.CreateCounter<long>("thrivestack.api.warnings", "{warning}", "Warnings in the API's answers to delivered batches (e.g. a standard event missing a field a report needs).");
            BrowserRequests = meter.CreateCounter<long>("thrivestack.browser.requests", "{request}",
                "Posts to the browser collector's /collect, by outcome: accepted, bot, or the reason it was refused (cross_site, too_large, malformed, too_many, too_long, control_characters, unknown_kind, missing_field, invalid_url, invalid_name, rate_limited, method), or aborted (the browser left mid-body).");
            meter.CreateObservableGauge("thrivestack.queue.length", () => Each(p => p.QueueLength), "{event}", "Records waiting in the in-memory queue, by kind.");
            meter.CreateObservableGauge("thrivestack.spool.events", () => Each(p => p.BacklogCount), "{event}", "Records waiting in the backlog (the spool, or memory), by kind.");
            meter.CreateObservableGauge("thrivestack.spool.size", () => Each(p => p.BacklogBytes), "By", "Bytes of record JSON in the backlog, by kind.");
            meter.CreateObservableGauge("thrivestack.delivery.paused", ObservePauses, "{state}",
                "1 while sending is paused, tagged with the reason (retrying, rate_limited, key_refused) and kind; 0 while delivering.");
        }

        /// <summary>One measurement per observed pipeline, tagged with its kind; track's last, so a single-pipeline reader sees track.</summary>
        private IEnumerable<Measurement<T>> Each<T>(Func<Dispatch.IDeliveryMonitor, T> read) where T : struct
        {
            foreach (var kind in Order)
            {
                if (Pipelines[(int)kind] is { } pipeline)
                    yield return new Measurement<T>(read(pipeline), KindTag(kind));
            }
        }

        private IEnumerable<Measurement<int>> ObservePauses()
        {
            foreach (var kind in Order)
            {
                if (Pipelines[(int)kind] is not { } pipeline)
                    continue;
                var reason = pipeline.State.Status switch
                {
                    Dispatch.DeliveryStatus.Retrying => "retrying",
                    Dispatch.DeliveryStatus.RateLimited => "rate_limited",
                    Dispatch.DeliveryStatus.KeyRefused => "key_refused",
                    _ => null,
                };
                yield return reason is null
                    ? new Measurement<int>(0, KindTag(kind))
                    : new Measurement<int>(1, new KeyValuePair<string, object?>("reason", reason), KindTag(kind));
            }
        }

        private static readonly Dispatch.RecordKind[] Order = [Dispatch.RecordKind.Identify, Dispatch.RecordKind.Group, Dispatch.RecordKind.Track];
    }
}
