namespace ThriveStack.AutoTrack.Testing;

/// <summary>What the collector does instead of accepting a request, for testing how the sender copes.</summary>
public sealed class CollectorFault
{
    private CollectorFault(
        int statusCode,
        string? retryAfter,
        bool hang,
        Func<System.Text.Json.JsonElement, bool>? rejects = null,
        bool acceptFirst = false,
        string? location = null,
        string? contentType = null,
        TimeSpan delay = default,
        IReadOnlyList<string>? warnings = null,
        string? documentation = null)
    {
        Warnings = warnings;
        Documentation = documentation;
        Delay = delay;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        Hang = hang;
        Rejects = rejects;
        AcceptFirst = acceptFirst;
        Location = location;
        ContentType = contentType;
    }

    /// <summary>For <see cref="Slow"/>: how long each request waits before it is handled as usual.</summary>
    internal TimeSpan Delay { get; }

    /// <summary>For <see cref="Redirect"/>: the <c>Location</c> answered.</summary>
    internal string? Location { get; }

    /// <summary>For <see cref="NotTheApi"/>: the content type of the page answered instead of the API's JSON.</summary>
    internal string? ContentType { get; }

    /// <summary>For <see cref="RejectEvents"/>: which events the server refuses.</summary>
    internal Func<System.Text.Json.JsonElement, bool>? Rejects { get; }

    /// <summary>For <see cref="AcceptButAnswer"/>: the events are accepted before the error is answered.</summary>
    internal bool AcceptFirst { get; }

    /// <summary>For <see cref="AcceptWithWarnings"/>: the <c>warnings</c> of the answer.</summary>
    internal IReadOnlyList<string>? Warnings { get; }

    /// <summary>For <see cref="AcceptWithWarnings"/>: the <c>documentation</c> URL of the answer.</summary>
    internal string? Documentation { get; }

    /// <summary>The status answered (0 for <see cref="NeverAnswer"/>).</summary>
    public int StatusCode { get; }

    /// <summary>The raw <c>Retry-After</c> header value sent with the status, if any.</summary>
    public string? RetryAfter { get; }

    /// <summary>True when the collector holds the request open until the client gives up.</summary>
    public bool Hang { get; }

    /// <summary>
    /// Accepts batches as usual and answers with <c>warnings</c> (and a <c>documentation</c> URL), as the track API does
    /// for, e.g., a standard event missing a field that a report needs.
    /// </summary>
    /// <param name="warnings">The warnings of every answer.</param>
    /// <param name="documentation">The documentation URL of every answer, if any.</param>
    /// <returns>The fault.</returns>
    public static CollectorFault AcceptWithWarnings(IReadOnlyList<string> warnings, string? documentation = null)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        return new(200, null, hang: false, warnings: warnings, documentation: documentation);
    }

    /// <summary>Answers every request with <paramref name="statusCode"/> (e.g. 500, 429, 401) and records nothing.</summary>
    /// <param name="statusCode">The HTTP status to answer.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> value: seconds (<c>"2"</c>) or an HTTP date.</param>
    /// <returns>The fault.</returns>
    public static CollectorFault Status(int statusCode, string? retryAfter = null) => new(statusCode, retryAfter, hang: false);

    /// <summary>
    /// Answers 400 to any batch holding an event that <paramref name="isRejected"/> picks (as the real API rejects a whole
    /// batch for one bad event), after the usual contract checks; other batches are accepted.
    /// </summary>
    /// <param name="isRejected">Picks the events the server refuses, from their JSON.</param>
    /// <returns>The fault.</returns>
    public static CollectorFault RejectEvents(Func<System.Text.Json.JsonElement, bool> isRejected)
    {
        ArgumentNullException.ThrowIfNull(isRejected);
        return new(400, null, hang: false, isRejected);
    }

    /// <summary>
    /// Answers <paramref name="statusCode"/> to any batch holding an event that <paramref name="isFailed"/> picks,
    /// and accepts other batches: a server-side bug that one event triggers every time, e.g. a 500 for a value the API
    /// cannot handle. Checked after the usual contract checks.
    /// </summary>
    /// <param name="isFailed">Picks the events the server fails on, from their JSON.</param>
    /// <param name="statusCode">The HTTP status answered to a batch holding one (e.g. 500).</param>
    /// <returns>The fault.</returns>
    public static CollectorFault FailEvents(Func<System.Text.Json.JsonElement, bool> isFailed, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(isFailed);
        return new(statusCode, null, hang: false, isFailed);
    }

    /// <summary>
    /// Answers every POST with a redirect to <see cref="ThriveStackCollector.MovedPath"/>, a page that answers 200 with
    /// HTML to any method: an endpoint that moved. A client that follows the redirect sees a 200 that proves nothing.
    /// </summary>
    /// <param name="statusCode">The redirect status: 301, 302, 307 or 308.</param>
    /// <returns>The fault.</returns>
    public static CollectorFault Redirect(int statusCode = 301)
    {
        if (statusCode is < 300 or > 399)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A redirect status is 3xx.");
        return new(statusCode, null, hang: false, location: ThriveStackCollector.MovedPath);
    }

    /// <summary>
    /// Answers every POST with 200 and an HTML page instead of the API's JSON, as a captive portal or a misrouted proxy does;
    /// records nothing.
    /// </summary>
    /// <returns>The fault.</returns>
    public static CollectorFault NotTheApi() => new(200, null, hang: false, contentType: "text/html; charset=utf-8");

    /// <summary>
    /// Accepts and records every valid batch, then answers <paramref name="statusCode"/> anyway: a response lost after
    /// the server took the events. The sender retries, so the events arrive twice (delivery is at least once).
    /// </summary>
    /// <param name="statusCode">The HTTP status to answer (e.g. 500 or 504).</param>
    /// <returns>The fault.</returns>
    public static CollectorFault AcceptButAnswer(int statusCode) => new(statusCode, null, hang: false, acceptFirst: true);

    /// <summary>
    /// Handles each request as usual, but only after <paramref name="delay"/>: a distant or slow API. Requests are
    /// handled concurrently, as a real server does.
    /// </summary>
    /// <param name="delay">How long each request waits before it is handled.</param>
    /// <returns>The fault.</returns>
    public static CollectorFault Slow(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(0, null, hang: false, delay: delay);
    }

    /// <summary>Never answers: each request waits until the client cancels it.</summary>
    public static CollectorFault NeverAnswer { get; } = new(0, null, hang: true);
}
