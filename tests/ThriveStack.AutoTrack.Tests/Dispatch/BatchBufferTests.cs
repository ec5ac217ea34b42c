using System.Text;
using System.Text.Json;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>Collecting one batch: each record serialized once, the body's size known exactly, never over the byte limit.</summary>
public class BatchBufferTests
{
    private static ThriveStackEvent Event(int seq, string padding = "")
        => new ThriveStackEvent("report_exported", "u1") { Timestamp = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero) }
            .WithProperty("seq", seq).WithProperty("pad", padding);

    private static string Body(PendingBatch batch)
    {
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        batch.WriteBody(body, 0, batch.Count);
        return Encoding.UTF8.GetString(body.WrittenSpan);
    }

    [Fact]
    public void TryAdd_UpToTheCount_ThenFull()
    {
        var buffer = new BatchBuffer(maxEvents: 3, maxBytes: 1_000_000);

        for (var i = 0; i < 3; i++)
            Assert.Equal(BatchBuffer.AddResult.Added, buffer.TryAdd(Event(i)));

        Assert.True(buffer.IsFull);
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public void TryAdd_TheBodyNeverPassesTheByteLimit_AndIsFilledToIt()
    {
        var one = BatchBuffer.Serialize([Event(0, new string('x', 100))]).Length; // '[' + event + ']'
        var eventBytes = one - 2;
        var limit = 2 + (3 * eventBytes) + 2; // three events and their two commas fit exactly
        var buffer = new BatchBuffer(maxEvents: 100, maxBytes: limit);

        var results = Enumerable.Range(0, 4).Select(i => buffer.TryAdd(Event(i, new string('x', 100)))).ToList();

        Assert.Equal([BatchBuffer.AddResult.Added, BatchBuffer.AddResult.Added, BatchBuffer.AddResult.Added, BatchBuffer.AddResult.NoRoom], results);
        using var batch = buffer.Take();
        Assert.Equal(limit, batch.BodyBytes(0, batch.Count));
        Assert.Equal(limit, Encoding.UTF8.GetByteCount(Body(batch)));
    }

    [Fact]
    public void TryAdd_AnEventNoBatchCanHold_TooLarge_EvenIntoAnEmptyBatch()
    {
        var buffer = new BatchBuffer(maxEvents: 100, maxBytes: 200);

        Assert.Equal(BatchBuffer.AddResult.TooLarge, buffer.TryAdd(Event(0, new string('x', 300))));
        Assert.Equal(0, buffer.Count);
        Assert.Equal(BatchBuffer.AddResult.TooLarge, new BatchBuffer(10, int.MaxValue).TryAdd(Event(0, new string('x', EventLimits.MaxEventBytes))));
    }

    [Fact]
    public void Take_HandsOverTheBatch_AndStartsAnEmptyOne()
    {
        var buffer = new BatchBuffer(maxEvents: 2, maxBytes: 1_000_000);
        buffer.TryAdd(Event(1));
        buffer.TryAdd(Event(2));

        using var first = buffer.Take();
        buffer.TryAdd(Event(3));
        using var second = buffer.Take();

        Assert.Equal((2, 1), (first.Count, second.Count));
        Assert.False(buffer.IsFull);
        Assert.Equal([1, 2], JsonDocument.Parse(Body(first)).RootElement.EnumerateArray().Select(e => e.GetProperty("properties").GetProperty("seq").GetInt32()));
        Assert.Equal("report_exported", first.Name(0));
    }

    [Fact]
    public void NonAsciiText_StaysUtf8_NotEscaped()
    {
        var body = Encoding.UTF8.GetString(BatchBuffer.Serialize([Event(0, "Zürich — 東京")]));

        Assert.Contains("Zürich — 東京", body, StringComparison.Ordinal);
    }
}
