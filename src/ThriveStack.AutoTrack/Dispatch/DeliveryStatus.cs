namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>Whether the dispatcher is sending, and if not, why (the health check and the pause gauge report it).</summary>
internal enum DeliveryStatus
{
    /// <summary>Sending as events come.</summary>
    Delivering = 0,

    /// <summary>Waiting out a retry delay after a transient failure.</summary>
    Retrying = 1,

    /// <summary>Waiting until the time a 429's <c>Retry-After</c> gave.</summary>
    RateLimited = 2,

    /// <summary>The API key was refused (401/403); probing again on a slow schedule.</summary>
    KeyRefused = 3,
}
