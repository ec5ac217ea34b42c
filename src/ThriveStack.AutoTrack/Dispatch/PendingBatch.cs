using System.Buffers;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Serialized events waiting to be posted: each event's JSON kept separately (so a rejected batch can be split and a
/// failed one spooled event by event), with its name (for logs) and, when it came from the backlog, its backlog id.
/// The JSON lives in one pooled buffer; <see cref="Dispose"/> returns it.
/// </summary>
internal sealed class PendingBatch : IDisposable
{
    private byte[] _data;
    private int _length;
    private readonly List<Entry> _entries;

    public PendingBatch(int capacityBytes = 4096, int capacityEvents = 16)
    {
        _data = ArrayPool<byte>.Shared.Rent(Math.Max(capacityBytes, 256));
        _entries = new List<Entry>(capacityEvents);
    }

    public int Count => _entries.Count;

    /// <summary>Bytes of event JSON, without the brackets and commas of a body.</summary>
    public int DataBytes => _length;

    /// <summary>True when the events came from the backlog (their ids are set) rather than straight from the queue.</summary>
    public bool FromBacklog { get; init; }

    public void Add(ReadOnlySpan<byte> json, string name, long id = 0)
    {
        if (_data.Length - _length < json.Length)
            Grow(json.Length);
        json.CopyTo(_data.AsSpan(_length));
        _entries.Add(new Entry(_length, json.Length, name, id));
        _length += json.Length;
    }

    public ReadOnlySpan<byte> Json(int index)
    {
        var e = _entries[index];
        return _data.AsSpan(e.Offset, e.Length);
    }

    public string Name(int index) => _entries[index].Name;

    public long Id(int index) => _entries[index].Id;

    /// <summary>The size of the request body holding <paramref name="count"/> events from <paramref name="start"/>.</summary>
    public int BodyBytes(int start, int count)
    {
        var bytes = 1 + count; // '[' + (count - 1) commas + ']'
        for (var i = start; i < start + count; i++)
            bytes += _entries[i].Length;
        return bytes;
    }

    /// <summary>Writes the JSON array of <paramref name="count"/> events from <paramref name="start"/>.</summary>
    public void WriteBody(ArrayBufferWriter<byte> body, int start, int count)
    {
        var span = body.GetSpan(BodyBytes(start, count));
        var at = 0;
        span[at++] = (byte)'[';
        for (var i = start; i < start + count; i++)
        {
            if (i > start)
                span[at++] = (byte)',';
            Json(i).CopyTo(span[at..]);
            at += _entries[i].Length;
        }
        span[at++] = (byte)']';
        body.Advance(at);
    }

    public void Dispose()
    {
        var data = Interlocked.Exchange(ref _data, []);
        if (data.Length > 0)
            ArrayPool<byte>.Shared.Return(data);
        _entries.Clear();
        _length = 0;
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_data.Length * 2, _length + needed));
        _data.AsSpan(0, _length).CopyTo(bigger);
        if (_data.Length > 0)
            ArrayPool<byte>.Shared.Return(_data);
        _data = bigger;
    }

    private readonly record struct Entry(int Offset, int Length, string Name, long Id);
}
