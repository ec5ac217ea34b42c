namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>How the track API answered one batch.</summary>
internal enum SendOutcome
{
    /// <summary>2xx: every event in the batch was accepted.</summary>
    Delivered,

    /// <summary>400 (invalid JSON or a bad event) or 413 (too large): the API rejected the batch; it is split to find the offenders.</summary>
    Rejected,

    /// <summary>401 or 403: the API key was refused.</summary>
    Unauthorized,

    /// <summary>429: rate limited; <see cref="SendResult.RetryAfter"/> may say for how long.</summary>
    RateLimited,

    /// <summary>5xx, 408, a timeout or a network failure: worth trying again.</summary>
    Transient,

    /// <summary>Any other answer (e.g. 404 from a wrong endpoint): retried like a transient failure, so a fixed endpoint loses nothing.</summary>
    Failed,
}
