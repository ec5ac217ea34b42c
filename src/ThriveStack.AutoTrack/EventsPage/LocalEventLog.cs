using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ThriveStack.AutoTrack.EventsPage;

/// <summary>
/// The newest events, for the events page. In Development with no API key (<see cref="IsLocalDelivery"/>) it is where
/// events are delivered; otherwise, once the page is mapped and allowed, it keeps a copy of each batch the API accepted.
/// Bounded by <see cref="EventsPageOptions.Capacity"/>; safe for any thread.
/// </summary>
internal sealed class LocalEventLog
{
    private readonly Queue<LocalEvent> _events = new();
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private long _received;
    private volatile bool _recording;

    public LocalEventLog(IOptions<ThriveStackOptions> options, TimeProvider time, IHostEnvironment? environment = null)
    {
        var o = options.Value;
        _time = time;
        _capacity = Math.Max(1, o.EventsPage.Capacity);
        IsLocalDelivery = IsLocal(o, environment);
        _recording = IsLocalDelivery;
    }

    /// <summary>True when events go here instead of to the API: Development, no API key, and <see cref="EventsPageOptions.KeepEventsInDevelopment"/>.</summary>
    public bool IsLocalDelivery { get; }

    /// <summary>True while delivered batches are copied here (always for local delivery; otherwise once the page is mapped).</summary>
    public bool IsRecording => _recording;

    /// <summary>Events recorded since start, including those no longer kept.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Most events kept.</summary>
    public int Capacity => _capacity;

    /// <summary>Whether events are kept locally for these options and environment.</summary>
    public static bool IsLocal(ThriveStackOptions options, IHostEnvironment? environment)
        => options.EventsPage.KeepEventsInDevelopment && string.IsNullOrWhiteSpace(options.ApiKey) && environment?.IsDevelopment() == true;

    /// <summary>Starts copying delivered batches (the events page is mapped and allowed in this environment).</summary>
    public void StartRecording() => _recording = true;

    /// <summary>Keeps the records of one delivered batch (a JSON array), dropping the oldest beyond the capacity.</summary>
    public void Record(Dispatch.RecordKind kind, ReadOnlyMemory<byte> body)
    {
        if (!_recording)
            return;
        using var document = ParseOrNull(body);
        if (document is null)
            return;
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            return;
        var now = _time.GetUtcNow();
        lock (_events)
        {
            foreach (var item in document.RootElement.EnumerateArray())
            {
                _events.Enqueue(new LocalEvent(++_received, now, kind, item.Clone()));
                if (_events.Count > _capacity)
                    _events.Dequeue();
            }
        }
    }

    private static JsonDocument? ParseOrNull(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null; // not ours to judge here: the page shows what was accepted
        }
    }

    /// <summary>The kept events, newest first.</summary>
    public IReadOnlyList<LocalEvent> NewestFirst()
    {
        LocalEvent[] events;
        lock (_events)
            events = _events.ToArray();
        Array.Reverse(events);
        return events;
    }
}

/// <summary>One record on the events page: its number since start, when it was recorded, its kind (track, identify, group) and its JSON as sent.</summary>
internal sealed record LocalEvent(long Number, DateTimeOffset RecordedAt, Dispatch.RecordKind Kind, JsonElement Json);
