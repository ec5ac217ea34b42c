namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>How the track API answered one batch.</summary>
internal enum SendOutcome
{
    /// <summary>2xx with the API's JSON (or no body): every event in the batch was accepted.</summary>
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

    /// <summary>
    /// 3xx: the endpoint moved. A POST of events never follows a redirect (an HTTP client would turn it into a GET whose
    /// 200 proves nothing); it is a configuration problem, logged with the <c>Location</c>, and retried like a failure.
    /// </summary>
    Redirected,

    /// <summary>
    /// 2xx whose body is not the API's JSON (an HTML page from a proxy or captive portal): no proof of delivery, so it is
    /// retried like a failure and logged with the content type.
    /// </summary>
    NotTheApi,
}
