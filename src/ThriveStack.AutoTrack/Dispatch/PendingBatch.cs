using System.Buffers;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Serialized events waiting to be posted: each event's JSON kept separately (so a rejected batch can be split and a
/// failed one spooled event by event), with its name (for logs) and, when it came from the backlog, its backlog id.
/// The JSON lives in an array from <see cref="BatchArrays"/>, the index of events in a pooled one; <see cref="Dispose"/>
/// gives both back, so a batch allocates nothing but this object. The JSON is laid out as the request body: an opening
/// bracket, then each event followed by a comma, so that posting the whole batch (<see cref="WholeBody"/>) copies nothing.
/// </summary>
internal sealed class PendingBatch : IDisposable
{
    private byte[] _data;
    private int _length;    // bytes used in _data: the bracket, the events and their commas
    private int _jsonBytes; // the events' alone
    private Entry[] _entries;
    private int _count;

    public PendingBatch(int capacityBytes = 4096, int capacityEvents = 16)
    {
        _data = BatchArrays.Shared.Rent(capacityBytes);
        _data[0] = (byte)'[';
        _length = 1;
        _entries = ArrayPool<Entry>.Shared.Rent(Math.Max(capacityEvents, 16));
    }

    public int Count => _count;

    /// <summary>Bytes of event JSON, without the brackets and commas of a body.</summary>
    public int DataBytes => _jsonBytes;

    /// <summary>Bytes of the whole batch's request body (what <see cref="WholeBody"/> returns).</summary>
    public int WholeBodyBytes => _count == 0 ? 2 : _length;

    /// <summary>True when the events came from the backlog (their ids are set) rather than straight from the queue.</summary>
    public bool FromBacklog { get; init; }

    public void Add(ReadOnlySpan<byte> json, string name, long id = 0)
    {
        if (_data.Length - _length < json.Length + 1)
            Grow(json.Length + 1);
        if (_count > 0)
            _data[_length - 1] = (byte)','; // WholeBody closed the array there
        json.CopyTo(_data.AsSpan(_length));
        if (_count == _entries.Length)
            GrowEntries();
        _entries[_count++] = new Entry(_length, json.Length, name, id);
        _length += json.Length;
        _data[_length++] = (byte)',';
        _jsonBytes += json.Length;
    }

    /// <summary>
    /// The JSON array of every event, straight from the batch's own buffer (the last comma turned into the closing
    /// bracket): valid until the batch is disposed or another event is added.
    /// </summary>
    public ReadOnlyMemory<byte> WholeBody()
    {
        if (_count == 0)
            return "[]"u8.ToArray();
        _data[_length - 1] = (byte)']';
        return _data.AsMemory(0, _length);
    }

    public ReadOnlySpan<byte> Json(int index)
    {
        var e = At(index);
        return _data.AsSpan(e.Offset, e.Length);
    }

    public string Name(int index) => At(index).Name;

    public long Id(int index) => At(index).Id;

    private ref readonly Entry At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return ref _entries[index];
    }

    /// <summary>The size of the request body holding <paramref name="count"/> events from <paramref name="start"/>.</summary>
    public int BodyBytes(int start, int count)
    {
        var bytes = 1 + count; // '[' + (count - 1) commas + ']'
        for (var i = start; i < start + count; i++)
            bytes += At(i).Length;
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
            at += At(i).Length;
        }
        span[at++] = (byte)']';
        body.Advance(at);
    }

    public void Dispose()
    {
        var data = Interlocked.Exchange(ref _data, []);
        if (data.Length > 0)
            BatchArrays.Shared.Return(data);
        var entries = Interlocked.Exchange(ref _entries, []);
        if (entries.Length > 0)
            ArrayPool<Entry>.Shared.Return(entries, clearArray: true); // the names: nothing pooled keeps them alive
        _count = 0;
        _length = 0;
        _jsonBytes = 0;
    }

    private void GrowEntries()
    {
        var bigger = ArrayPool<Entry>.Shared.Rent(Math.Max(_entries.Length * 2, 16));
        _entries.AsSpan(0, _count).CopyTo(bigger);
        if (_entries.Length > 0)
            ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
        _entries = bigger;
    }

    private void Grow(int needed)
    {
        var bigger = BatchArrays.Shared.Rent(Math.Max(_data.Length * 2, _length + needed));
        _data.AsSpan(0, _length).CopyTo(bigger);
        if (_data.Length > 0)
            BatchArrays.Shared.Return(_data);
        _data = bigger;
    }

    private readonly record struct Entry(int Offset, int Length, string Name, long Id);
}
