namespace ThriveStack.AutoTrack.Testing;

/// <summary>What the collector does instead of accepting a request, for testing how the sender copes.</summary>
public sealed class CollectorFault
{
    private CollectorFault(int statusCode, string? retryAfter, bool hang)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        Hang = hang;
    }

    /// <summary>The status answered (0 for <see cref="NeverAnswer"/>).</summary>
    public int StatusCode { get; }

    /// <summary>The raw <c>Retry-After</c> header value sent with the status, if any.</summary>
    public string? RetryAfter { get; }

    /// <summary>True when the collector holds the request open until the client gives up.</summary>
    public bool Hang { get; }

    /// <summary>Answers every request with <paramref name="statusCode"/> (e.g. 500, 429, 401) and records nothing.</summary>
    /// <param name="statusCode">The HTTP status to answer.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> value: seconds (<c>"2"</c>) or an HTTP date.</param>
    /// <returns>The fault.</returns>
    public static CollectorFault Status(int statusCode, string? retryAfter = null) => new(statusCode, retryAfter, hang: false);

    /// <summary>Never answers: each request waits until the client cancels it.</summary>
    public static CollectorFault NeverAnswer { get; } = new(0, null, hang: true);
}
