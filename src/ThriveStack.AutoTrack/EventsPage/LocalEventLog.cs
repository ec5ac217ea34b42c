using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ThriveStack.AutoTrack.EventsPage;

/// <summary>
/// The newest events, for the events page. In Development with no API key (<see cref="IsLocalDelivery"/>) it is where
/// events are delivered; otherwise, once the page is mapped and allowed, it keeps a copy of each batch the API accepted.
/// Safe for any thread.
/// </summary>
/// <remarks>
/// A batch is kept as the bytes that were sent, copied into a pooled buffer, and read only when the page is shown:
/// recording costs one copy, and no per-event objects outlive the batch on the delivery path (parsing and cloning each
/// event there cost an app with the page mapped about 0.95 µs and 1.09 KB per event, and kept 500 object graphs alive
/// into gen1; <c>EventsPageBenchmarks</c>). The buffers come from the shared pool because a full batch is larger than the
/// large object heap's threshold: a new array for each would make the GC collect gen2 several times a second.
/// Batches are dropped, oldest first, while the newer ones still hold <see cref="EventsPageOptions.Capacity"/> events,
/// so at most the capacity plus one batch is kept.
/// </remarks>
internal sealed class LocalEventLog
{
    // Written under the lock by the delivery path; read under the lock by the page.
    private readonly Queue<KeptBatch> _batches = new();
    private long _kept; // events in _batches
    private long _received;

    private readonly int _capacity;
    private readonly TimeProvider _time;
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

    /// <summary>Events in the batches kept now: at least the capacity (once that many arrived), less than the capacity plus the oldest kept batch.</summary>
    internal long KeptEvents
    {
        get
        {
            lock (_batches)
                return _kept;
        }
    }

    /// <summary>Most events shown.</summary>
    public int Capacity => _capacity;

    /// <summary>Whether events are kept locally for these options and environment.</summary>
    public static bool IsLocal(ThriveStackOptions options, IHostEnvironment? environment)
        => options.EventsPage.KeepEventsInDevelopment && string.IsNullOrWhiteSpace(options.ApiKey) && environment?.IsDevelopment() == true;

    /// <summary>Starts copying delivered batches (the events page is mapped and allowed in this environment).</summary>
    public void StartRecording() => _recording = true;

    /// <summary>Keeps a copy of one delivered batch (a JSON array of <paramref name="count"/> records), dropping the oldest batches no longer shown.</summary>
    public void Record(Dispatch.RecordKind kind, ReadOnlyMemory<byte> body, int count)
    {
        if (!_recording || count <= 0)
            return;
        var bytes = ArrayPool<byte>.Shared.Rent(body.Length);
        body.Span.CopyTo(bytes);
        var now = _time.GetUtcNow();
        lock (_batches)
        {
            _batches.Enqueue(new KeptBatch(_received + 1, now, kind, bytes, body.Length, count));
            Interlocked.Add(ref _received, count);
            _kept += count;
            while (_kept - _batches.Peek().Count >= _capacity)
            {
                var dropped = _batches.Dequeue();
                _kept -= dropped.Count;
                ArrayPool<byte>.Shared.Return(dropped.Buffer);
            }
        }
    }

    /// <summary>The kept events, newest first, at most <see cref="Capacity"/>.</summary>
    public IReadOnlyList<LocalEvent> NewestFirst()
    {
        // Copied under the lock: a batch dropped meanwhile returns its buffer to the pool, for other data.
        (KeptBatch Batch, byte[] Body)[] batches;
        lock (_batches)
            batches = [.. _batches.Select(b => (b, b.Buffer.AsSpan(0, b.Length).ToArray()))];
        var events = new List<LocalEvent>();
        for (var b = batches.Length - 1; b >= 0 && events.Count < _capacity; b--)
        {
            var (batch, body) = batches[b];
            var records = Parse(body);
            for (var i = records.Count - 1; i >= 0 && events.Count < _capacity; i--)
                events.Add(new LocalEvent(batch.FirstNumber + i, batch.RecordedAt, batch.Kind, records[i]));
        }
        return events;
    }

    private static List<JsonElement> Parse(byte[] body)
    {
        var records = new List<JsonElement>();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in document.RootElement.EnumerateArray())
                    records.Add(item.Clone());
            }
        }
        catch (JsonException)
        {
            // not ours to judge here: the page shows what was accepted
        }
        return records;
    }

    private sealed record KeptBatch(long FirstNumber, DateTimeOffset RecordedAt, Dispatch.RecordKind Kind, byte[] Buffer, int Length, int Count);
}

/// <summary>One record on the events page: its number since start, when it was recorded, its kind (track, identify, group) and its JSON as sent.</summary>
internal sealed record LocalEvent(long Number, DateTimeOffset RecordedAt, Dispatch.RecordKind Kind, JsonElement Json);
