namespace ThriveStack.AutoTrack.EventsPage;

/// <summary>
/// The local events page (<c>app.MapThriveStackEvents()</c>) and what happens to events in Development when no API key is
/// configured. Section <c>ThriveStack:EventsPage</c>.
/// </summary>
public sealed class EventsPageOptions
{
    /// <summary>
    /// In the Development environment with no <see cref="ThriveStackOptions.ApiKey"/>, keep events in this process, where
    /// the events page shows them, instead of dropping them (as <c>disabled</c>). They are batched and checked as they
    /// would be sent, wait at most 1 second (unless <see cref="ThriveStackOptions.FlushInterval"/> is set), and never
    /// touch the disk or the network. Default <c>true</c>.
    /// </summary>
    public bool KeepEventsInDevelopment { get; set; } = true;

    /// <summary>How many of the newest events the page keeps and shows. Default 500; 1 to 100,000.</summary>
    public int Capacity { get; set; } = 500;
}
