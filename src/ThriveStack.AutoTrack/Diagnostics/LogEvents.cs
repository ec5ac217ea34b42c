namespace ThriveStack.AutoTrack.Diagnostics;

/// <summary>
/// The fixed <c>EventId</c>s of AutoTrack's log lines (category <c>ThriveStack.AutoTrack.*</c>), for filters and alerts.
/// </summary>
public static class LogEvents
{
    /// <summary>1, warning: no API key, so sending is disabled.</summary>
    public const int ApiKeyMissing = 1;

    /// <summary>2, information: a pipeline (track, identify or group) started and where it sends.</summary>
    public const int DispatcherStarted = 2;

    /// <summary>3, warning: an event was dropped because the queue was full (at most one line per 10 s, with a count).</summary>
    public const int QueueFull = 3;

    /// <summary>4, warning: an event was invalid (missing field, size bound) and dropped (at most one line per 10 s).</summary>
    public const int EventInvalid = 4;

    /// <summary>5, warning: an event name breaks the naming convention (once per name).</summary>
    public const int EventNameUnconventional = 5;

    /// <summary>6, warning: a batch failed transiently (5xx, 408, timeout, network) and will be retried (at most one line per 10 s).</summary>
    public const int BatchFailed = 6;

    /// <summary>7, warning: one event was larger than the batch byte limit and dropped.</summary>
    public const int EventTooLarge = 7;

    /// <summary>8, warning: one event could not be serialized and was dropped.</summary>
    public const int EventNotSerializable = 8;

    /// <summary>9, warning: queued events were dropped at shutdown (with <c>Durability = Memory</c>) or after a failure.</summary>
    public const int QueuedEventsDropped = 9;

    /// <summary>10, error: the dispatcher loop failed unexpectedly.</summary>
    public const int DispatcherFailed = 10;

    /// <summary>11, error: an unexpected exception inside <c>Track</c> (the event is dropped; the caller is not affected).</summary>
    public const int TrackFailed = 11;

    /// <summary>12, warning: a user, account or source resolver callback threw (at most one line per 10 s).</summary>
    public const int ResolverFailed = 12;

    /// <summary>13, warning: page-visit tracking failed for a request; the request is unaffected (at most one line per 10 s).</summary>
    public const int PageVisitFailed = 13;

    /// <summary>14, warning: the page-visit <c>Filter</c> callback threw; the request is not tracked (at most one line per 10 s).</summary>
    public const int PageVisitFilterFailed = 14;

    /// <summary>15, warning: tracking a <c>[TrackFeature]</c> / <c>[TrackEvent]</c> failed; the action is unaffected (at most one line per 10 s).</summary>
    public const int FeatureTrackingFailed = 15;

    /// <summary>16, warning: a <c>[TrackFeature]</c> / <c>[TrackEvent]</c> name or feature type breaks the naming rules (at startup, once each).</summary>
    public const int TrackedNameInvalid = 16;

    /// <summary>17, warning: the API answered 429; sending pauses for its <c>Retry-After</c> (at most one line per 10 s).</summary>
    public const int RateLimited = 17;

    /// <summary>18, error: the API refused the API key (401/403); sending is paused (once per refusal, never the key).</summary>
    public const int KeyRefused = 18;

    /// <summary>19, information: the API accepts the key again; sending resumes.</summary>
    public const int KeyAccepted = 19;

    /// <summary>20, information: sending resumes after transient failures or a rate limit.</summary>
    public const int DeliveryResumed = 20;

    /// <summary>21, warning: the API rejected one event (400 after isolating it); it is dropped. Logs the event name, never property values.</summary>
    public const int EventRejected = 21;

    /// <summary>22, warning: the spool cannot be opened; events that cannot be sent at once wait in memory only.</summary>
    public const int SpoolUnavailable = 22;

    /// <summary>23, information: the spool holds events from an earlier run; they are sent first.</summary>
    public const int SpoolResumed = 23;

    /// <summary>24, warning: the oldest events in the spool were dropped to stay within <c>MaxSpoolBytes</c> (at most one line per 10 s).</summary>
    public const int SpoolFull = 24;

    /// <summary>25, error: reading or writing the spool failed; the events involved are dropped.</summary>
    public const int BacklogFailed = 25;

    /// <summary>
    /// 26, warning: the endpoint answered a redirect (3xx); events are never posted to its target. Logged once per
    /// <c>Location</c> until a batch is delivered; the events wait and are retried.
    /// </summary>
    public const int EndpointRedirected = 26;

    /// <summary>
    /// 27, warning: the endpoint answered 2xx with something other than the API's JSON (e.g. an HTML page from a proxy);
    /// not counted as delivered. Logged once per content type until a batch is delivered; the events wait and are retried.
    /// </summary>
    public const int NotTheApi = 27;

    /// <summary>
    /// 28, warning: the spool cannot be written (a full disk, a read-only directory); events that cannot be sent wait in
    /// memory meanwhile, and delivered events are skipped until they can be deleted (at most one line a minute).
    /// </summary>
    public const int SpoolWriteFailed = 28;

    /// <summary>
    /// 29, warning: the API failed on one event by itself, time after time, while it accepted the others; the event is
    /// dropped (reason <c>undeliverable</c>). Logs the event name, never property values.
    /// </summary>
    public const int EventUndeliverable = 29;

    /// <summary>
    /// 30, information: no API key in the Development environment, so events are kept in the app for the events page
    /// (<c>app.MapThriveStackEvents()</c>) instead of being sent.
    /// </summary>
    public const int EventsKeptLocally = 30;

    /// <summary>
    /// 31, warning: a configuration key under <c>ThriveStack</c> is not an AutoTrack option (a misspelling, most often);
    /// it is ignored. The message names the closest valid key.
    /// </summary>
    public const int UnknownConfigurationKey = 31;

    /// <summary>
    /// 32, warning: the track API accepted a batch with a warning (e.g. a standard event missing a field a report needs).
    /// Each distinct warning is logged once, with the documentation URL; all are counted on <c>thrivestack.api.warnings</c>.
    /// </summary>
    public const int ApiWarning = 32;

    /// <summary>33, warning: a request to the browser collector's <c>/collect</c> was refused, with the reason (at most one line per 10 s).</summary>
    public const int BrowserRequestRefused = 33;
}
