namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>The result of posting one batch.</summary>
/// <param name="Outcome">How the API answered.</param>
/// <param name="StatusCode">The HTTP status, or 0 when no response arrived.</param>
/// <param name="RetryAfter">The delay the API asked for (429/503 <c>Retry-After</c>), when it gave one.</param>
/// <param name="Error">What went wrong without a response (exception type and error kind); never contains the API key.</param>
/// <param name="Detail">For <see cref="SendOutcome.Redirected"/> the <c>Location</c> (scheme, host and path only); for <see cref="SendOutcome.NotTheApi"/> the content type.</param>
internal readonly record struct SendResult(SendOutcome Outcome, int StatusCode, TimeSpan? RetryAfter = null, string? Error = null, string? Detail = null)
{
    public static SendResult Delivered(int statusCode) => new(SendOutcome.Delivered, statusCode);

    /// <summary>The outcome as a metric tag value.</summary>
    public string OutcomeTag => Outcome switch
    {
        SendOutcome.Delivered => "delivered",
        SendOutcome.Rejected => "rejected",
        SendOutcome.Unauthorized => "unauthorized",
        SendOutcome.RateLimited => "rate_limited",
        SendOutcome.Transient => "transient",
        SendOutcome.Redirected => "redirected",
        SendOutcome.NotTheApi => "not_the_api",
        _ => "failed",
    };
}
