using ThriveStack.AutoTrack.EventsPage;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack;

/// <summary>
/// Settings of AutoTrack, bound from the <c>ThriveStack</c> configuration section (so environment variables such as
/// <c>ThriveStack__ApiKey</c> work) and validated when the host starts.
/// </summary>
public sealed class ThriveStackOptions
{
    /// <summary>The configuration section the options are bound from: <c>ThriveStack</c>.</summary>
    public const string SectionName = "ThriveStack";

    /// <summary>The default <see cref="Endpoint"/>: <c>https://api.app.thrivestack.ai/api/track</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.app.thrivestack.ai/api/track");

    /// <summary>
    /// The API key sent in the <c>x-api-key</c> header (ThriveStack dashboard, Settings → API Keys). No default.
    /// Without it sending is disabled with one startup warning, unless <see cref="RequireApiKey"/> is set.
    /// It is never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The track API URL. Default <see cref="DefaultEndpoint"/>. Must be absolute and <c>https</c>; plain <c>http</c>
    /// is allowed only to a loopback address (a local collector).
    /// </summary>
    public Uri? Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// The identify API URL. When null (default), <see cref="Endpoint"/> with its last path segment replaced by
    /// <c>identify</c>: <c>https://api.app.thrivestack.ai/api/identify</c> for the default endpoint. Same rules as <see cref="Endpoint"/>.
    /// </summary>
    public Uri? IdentifyEndpoint { get; set; }

    /// <summary>
    /// The group API URL. When null (default), <see cref="Endpoint"/> with its last path segment replaced by
    /// <c>group</c>: <c>https://api.app.thrivestack.ai/api/group</c> for the default endpoint. Same rules as <see cref="Endpoint"/>.
    /// </summary>
    public Uri? GroupEndpoint { get; set; }

    /// <summary>Master switch. Default <c>true</c>. When false, every event is dropped (counted as <c>disabled</c>). Reloadable.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When true, a missing <see cref="ApiKey"/> fails the host at startup instead of disabling sending. Default <c>false</c>.</summary>
    public bool RequireApiKey { get; set; }

    /// <summary>
    /// When true, an event whose name breaks the object + past-tense-verb snake_case convention is rejected
    /// (counted as <c>invalid_name</c>); when false (default) it is sent and the name is reported once in the log.
    /// </summary>
    public bool StrictEventNames { get; set; }

    /// <summary>The most records the API takes in one request (track, identify or group): 1,000; a larger request is answered 400.</summary>
    public const int MaxRecordsPerRequest = 1_000;

    /// <summary>The most bytes of JSON the API takes in one request: 2 MB (2,000,000 bytes); a larger request is answered 400.</summary>
    public const int MaxBytesPerRequest = 2_000_000;

    /// <summary>
    /// Most events in one request to the track API. Default 500; 1 to <see cref="MaxRecordsPerRequest"/> (1,000). Each request costs the app thread
    /// wake-ups whatever its size, so a busy app spends less CPU per event on larger batches; a quiet one sends
    /// whatever <see cref="FlushInterval"/> has gathered.
    /// </summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Most bytes of JSON in one request to the track API. Default 524,288 (512 KiB); 1,024 to <see cref="MaxBytesPerRequest"/> (2,000,000).</summary>
    public int MaxBatchBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Longest time an event waits for its batch to fill before the batch is sent anyway, counted from the
    /// batch's first event. Default 5 seconds; more than zero and at most 1 hour.
    /// </summary>
    public TimeSpan FlushInterval
    {
        get => _flushInterval;
        set
        {
            _flushInterval = value;
            FlushIntervalIsSet = true;
        }
    }

    private TimeSpan _flushInterval = TimeSpan.FromSeconds(5);

    /// <summary>True once <see cref="FlushInterval"/> was set, by configuration or code: events kept locally in Development then wait as long as it says.</summary>
    internal bool FlushIntervalIsSet { get; private set; }

    /// <summary>
    /// Most requests to the API in flight at once while a backlog waits (after an outage, or when the API is far away
    /// or slow). Default 4; 1 to 16. The backlog still goes oldest first, a 429 or a refused key pauses them all, and
    /// memory holds at most this many batches. Without a backlog one request is in flight, as batches fill one at a time.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>
    /// Most events held in memory waiting to be sent. Default 10,000; 1 to 1,000,000. When the queue is half full
    /// and the API cannot keep up, batches move to the spool; when it is full, new events are dropped (counted as
    /// <c>queue_full</c>) and <c>Track</c> returns false. With <see cref="EventDurability.Memory"/> it also bounds the
    /// events kept for retry.
    /// </summary>
    public int MaxQueueSize { get; set; } = 10_000;

    /// <summary>
    /// How long stopping the host may spend delivering queued events. Default 5 seconds; more than zero and at
    /// most 5 minutes. Events still queued then go to the spool (or, with <see cref="EventDurability.Memory"/>, are
    /// dropped, counted as <c>shutdown</c>).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest time one request to the track API may take; a request that takes longer counts as a transient failure
    /// and is retried. Default 10 seconds; more than zero and at most 5 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where events wait while the track API cannot take them: <see cref="EventDurability.Disk"/> (default, a SQLite
    /// spool at <see cref="SpoolPath"/>) or <see cref="EventDurability.Memory"/>. Needs a restart to change.
    /// </summary>
    public EventDurability Durability { get; set; } = EventDurability.Disk;

    /// <summary>
    /// The spool database file. Default: <c>thrivestack/&lt;application name&gt;-&lt;hash of the content root&gt;/spool.db</c>
    /// under the system temp directory (writable in containers and beside read-only content roots). Point it at a
    /// mounted volume to keep events across container replacements. One process uses a spool at a time; a second one
    /// with the same path runs memory-only. If the file cannot be opened, AutoTrack logs a warning and runs memory-only.
    /// </summary>
    public string? SpoolPath { get; set; }

    /// <summary>
    /// Most bytes of event JSON the spool keeps. Default 268,435,456 (256 MiB); 1 MiB to 64 GiB. Beyond it the oldest
    /// events are dropped (counted as <c>spool_full</c>).
    /// </summary>
    public long MaxSpoolBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// First retry delay after a transient failure (5xx, 408, timeout, network error, 429 without <c>Retry-After</c>).
    /// Each further failure doubles it up to <see cref="RetryMaxDelay"/>, and the actual wait is drawn at random below
    /// that ("full jitter"), never under 100 ms. Default 1 second; 10 ms to 1 hour.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay after transient failures. Default 1 minute; at least <see cref="RetryBaseDelay"/>, at most 1 hour.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// While the API key is refused (401/403), sending stops and is tried again this often. Default 5 minutes;
    /// more than zero and at most 1 hour. Events keep queueing (and spooling) meanwhile.
    /// </summary>
    public TimeSpan KeyRefusedRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Which requests become <c>page_visit</c> events (section <c>ThriveStack:PageVisits</c>).</summary>
    public PageVisitOptions PageVisits { get; set; } = new();

    /// <summary>How <c>[TrackFeature]</c> and <c>[TrackEvent]</c> behave (section <c>ThriveStack:Features</c>).</summary>
    public FeatureTrackingOptions Features { get; set; } = new();

    /// <summary>User-agent parsing, bot filtering and device enrichment (section <c>ThriveStack:UserAgents</c>).</summary>
    public UserAgentParserOptions UserAgents { get; set; } = new();

    /// <summary>Device and session cookies, user, account and source resolution (section <c>ThriveStack:Identity</c>).</summary>
    public VisitorIdentityOptions Identity { get; set; } = new();

    /// <summary>Consent, privacy signals and URL redaction (section <c>ThriveStack:Privacy</c>).</summary>
    public PrivacyOptions Privacy { get; set; } = new();

    /// <summary>The local events page and Development without an API key (section <c>ThriveStack:EventsPage</c>).</summary>
    public EventsPageOptions EventsPage { get; set; } = new();

    /// <summary>The first-party browser collector: its script, its endpoint and what it reports (section <c>ThriveStack:Browser</c>).</summary>
    public Browser.BrowserOptions Browser { get; set; } = new();

    /// <summary>Identify and group calls sent automatically for signed-in users (section <c>ThriveStack:AutoIdentify</c>).</summary>
    public AutoIdentifyOptions AutoIdentify { get; set; } = new();

    /// <summary>The URL records of <paramref name="kind"/> are posted to: <see cref="Endpoint"/>, or the identify or group URL set or derived from it.</summary>
    internal Uri EndpointOf(Dispatch.RecordKind kind)
    {
        var track = Endpoint ?? DefaultEndpoint;
        return kind switch
        {
            Dispatch.RecordKind.Identify => IdentifyEndpoint ?? Sibling(track, "identify"),
            Dispatch.RecordKind.Group => GroupEndpoint ?? Sibling(track, "group"),
            _ => track,
        };
    }

    /// <summary><paramref name="track"/> with its last path segment replaced by <paramref name="segment"/>; its query kept (a gateway may route by it), any fragment dropped.</summary>
    internal static Uri Sibling(Uri track, string segment)
    {
        if (!track.IsAbsoluteUri)
            return track;
        var path = track.AbsolutePath;
        var slash = path.TrimEnd('/').LastIndexOf('/');
        var builder = new UriBuilder(track) { Path = path[..(slash + 1)] + segment, Fragment = string.Empty };
        return builder.Uri;
    }

    /// <summary>An endpoint as it may appear in logs and messages: scheme, host, port and path, never user info or query.</summary>
    internal static string Display(Uri endpoint)
        => endpoint.IsAbsoluteUri ? endpoint.Scheme + "://" + endpoint.Authority + endpoint.AbsolutePath : "(relative URL)";
}
