using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Builds one request body: a JSON array of events, each serialized once with the source-generated context.
/// Knows its exact size as it grows, so a batch never passes the byte limit. Reused between batches.
/// </summary>
internal sealed class BatchBuffer
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body goes to an API, not into HTML: keep non-ASCII text as UTF-8 instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _body = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly int _maxBytes;
    private readonly int _maxEvents;

    public BatchBuffer(int maxEvents, int maxBytes)
    {
        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
        _writer = new Utf8JsonWriter(_scratch, WriterOptions);
    }

    /// <summary>The events in the batch, in the order they were added.</summary>
    public List<ThriveStackEvent> Events { get; } = [];

    public int Count => Events.Count;

    public bool IsFull => Events.Count >= _maxEvents;

    /// <summary>Adds an event if it fits.</summary>
    /// <returns><see cref="AddResult.Added"/>; <see cref="AddResult.NoRoom"/> when the batch must be sent first;
    /// <see cref="AddResult.TooLarge"/> when the event can never fit in any batch.</returns>
    /// <exception cref="JsonException">The event cannot be serialized (e.g. a nested node cycle).</exception>
    public AddResult TryAdd(ThriveStackEvent trackEvent)
    {
        _scratch.ResetWrittenCount();
        _writer.Reset(_scratch);
        try
        {
            JsonSerializer.Serialize(_writer, trackEvent, ThriveStackJsonContext.Default.ThriveStackEvent);
        }
        finally
        {
            _writer.Flush();
        }

        var size = _scratch.WrittenCount;
        if (size > EventLimits.MaxEventBytes || size + 2 > _maxBytes)
            return AddResult.TooLarge;
        if (Events.Count > 0 && _body.WrittenCount + 1 + size + 1 > _maxBytes)
            return AddResult.NoRoom;

        WriteByte(Events.Count == 0 ? (byte)'[' : (byte)',');
        _body.Write(_scratch.WrittenSpan);
        Events.Add(trackEvent);
        return AddResult.Added;
    }

    /// <summary>Closes the array and returns the body; valid until <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        WriteByte((byte)']');
        return _body.WrittenMemory;
    }

    public void Clear()
    {
        _body.ResetWrittenCount();
        Events.Clear();
    }

    /// <summary>Serializes events into one JSON array exactly as the dispatcher sends them (tests and benchmarks).</summary>
    public static byte[] Serialize(IEnumerable<ThriveStackEvent> events)
    {
        var buffer = new BatchBuffer(int.MaxValue, int.MaxValue);
        foreach (var e in events)
            buffer.TryAdd(e);
        if (buffer.Count == 0)
            return "[]"u8.ToArray();
        return buffer.Complete().ToArray();
    }

    private void WriteByte(byte b)
    {
        _body.GetSpan(1)[0] = b;
        _body.Advance(1);
    }

    internal enum AddResult
    {
        Added,
        NoRoom,
        TooLarge,
    }
}
