using System.Buffers;
using System.Text.Json;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Collects one batch: each event serialized once with the source-generated context into a <see cref="PendingBatch"/>,
/// while the size of the request body it would make is known exactly, so a batch never passes the byte limit.
/// </summary>
internal sealed class BatchBuffer
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = WireText.Encoder, // what the values encoded ahead of time were encoded with
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly int _maxBytes;
    private readonly int _maxEvents;
    private PendingBatch _events;
    private int _bodyBytes;
    private int _lastBatchBytes = 16 * 1024;

    public BatchBuffer(int maxEvents, int maxBytes)
    {
        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
        _writer = new Utf8JsonWriter(_scratch, WriterOptions);
        _events = NewBatch();
    }

    public int Count => _events.Count;

    public bool IsFull => _events.Count >= _maxEvents;

    /// <summary>Adds an event if it fits.</summary>
    /// <returns><see cref="AddResult.Added"/>; <see cref="AddResult.NoRoom"/> when the batch must be sent first;
    /// <see cref="AddResult.TooLarge"/> when the event can never fit in any batch.</returns>
    /// <exception cref="JsonException">The event cannot be serialized (e.g. a nested node cycle).</exception>
    public AddResult TryAdd(IOutboundRecord record)
    {
        _scratch.ResetWrittenCount();
        _writer.Reset(_scratch);
        try
        {
            record.WriteJson(_writer);
        }
        finally
        {
            _writer.Flush();
        }

        var size = _scratch.WrittenCount;
        if (size > EventLimits.MaxEventBytes || size + 2 > _maxBytes)
            return AddResult.TooLarge;
        var bodyBytes = _events.Count == 0 ? size + 2 : _bodyBytes + 1 + size;
        if (_events.Count > 0 && bodyBytes > _maxBytes)
            return AddResult.NoRoom;

        _events.Add(_scratch.WrittenSpan, record.RecordName);
        _bodyBytes = bodyBytes;
        return AddResult.Added;
    }

    /// <summary>Hands over the events collected so far and starts an empty batch.</summary>
    public PendingBatch Take()
    {
        var batch = _events;
        _lastBatchBytes = Math.Max(batch.WholeBodyBytes, 1024);
        _events = NewBatch();
        _bodyBytes = 0;
        return batch;
    }

    /// <summary>Serializes events into one JSON array exactly as the dispatcher sends them (tests and benchmarks).</summary>
    public static byte[] Serialize(IEnumerable<IOutboundRecord> events)
    {
        var buffer = new BatchBuffer(int.MaxValue, int.MaxValue);
        foreach (var e in events)
            buffer.TryAdd(e);
        using var batch = buffer.Take();
        var body = new ArrayBufferWriter<byte>();
        batch.WriteBody(body, 0, batch.Count);
        return body.WrittenSpan.ToArray();
    }

    private PendingBatch NewBatch() => new(Math.Min(_lastBatchBytes, _maxBytes), Math.Min(_maxEvents, 512));

    internal enum AddResult
    {
        Added,
        NoRoom,
        TooLarge,
    }
}
