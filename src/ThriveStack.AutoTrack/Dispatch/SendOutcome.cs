namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>How the track API answered one batch.</summary>
internal enum SendOutcome
{
    /// <summary>2xx: every event in the batch was accepted.</summary>
    Delivered,

    /// <summary>400: the API rejected the batch (invalid JSON or a bad event).</summary>
    Rejected,

    /// <summary>401 or 403: the API key was refused.</summary>
    Unauthorized,

    /// <summary>429: rate limited; <see cref="SendResult.RetryAfter"/> may say for how long.</summary>
    RateLimited,

    /// <summary>5xx, 408, a timeout or a network failure: worth trying again.</summary>
    Transient,

    /// <summary>Any other answer (e.g. 404 from a wrong endpoint).</summary>
    Failed,
}
