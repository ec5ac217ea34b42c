using System.Buffers;
using System.Text;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>Serialized events waiting to be posted: kept event by event in one pooled buffer, written as any sub-range.</summary>
public class PendingBatchTests
{
    private static string Body(PendingBatch batch, int start, int count)
    {
        var body = new ArrayBufferWriter<byte>();
        batch.WriteBody(body, start, count);
        return Encoding.UTF8.GetString(body.WrittenSpan);
    }

    [Fact]
    public void EachEvent_KeepsItsJsonNameAndId()
    {
        using var batch = new PendingBatch { FromBacklog = true };
        batch.Add("{\"a\":1}"u8, "first", id: 41);
        batch.Add("{\"b\":22}"u8, "second", id: 42);

        Assert.Equal((2, 15), (batch.Count, batch.DataBytes));
        Assert.Equal("{\"b\":22}", Encoding.UTF8.GetString(batch.Json(1)));
        Assert.Equal(("first", 41L), (batch.Name(0), batch.Id(0)));
        Assert.True(batch.FromBacklog);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 3)]
    [InlineData(4, 1)]
    public void WriteBody_AnyRange_IsTheJsonArrayOfThoseEvents_OfTheSizeBodyBytesSays(int start, int count)
    {
        using var batch = TestBatches.Numbered(0, 5);

        var body = Body(batch, start, count);

        Assert.Equal("[" + string.Join(",", Enumerable.Range(start, count).Select(i => $"{{\"s\":{i,3}}}")) + "]", body);
        Assert.Equal(batch.BodyBytes(start, count), Encoding.UTF8.GetByteCount(body));
    }

    [Fact]
    public void WholeBody_IsWhatWriteBodyWrites_FromTheBatchsOwnBuffer()
    {
        using var batch = TestBatches.Numbered(0, 5);

        var whole = batch.WholeBody();

        Assert.Equal(Body(batch, 0, 5), Encoding.UTF8.GetString(whole.Span));
        Assert.Equal(batch.BodyBytes(0, 5), whole.Length);
        Assert.Equal(whole.Length, batch.WholeBodyBytes);
        Assert.Equal(whole, batch.WholeBody()); // again: the same memory (array, offset and length), no copy
    }

    [Fact]
    public void Add_AfterWholeBody_KeepsTheBodyValid()
    {
        using var batch = new PendingBatch(capacityBytes: 256, capacityEvents: 1);
        batch.Add("{\"s\":1}"u8, "first");
        Assert.Equal("[{\"s\":1}]", Encoding.UTF8.GetString(batch.WholeBody().Span));

        batch.Add(Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 1000) + "\"}"), "big"); // grows the buffer too

        Assert.Equal(Body(batch, 0, 2), Encoding.UTF8.GetString(batch.WholeBody().Span));
        Assert.Equal("{\"s\":1}", Encoding.UTF8.GetString(batch.Json(0)));
    }

    [Fact]
    public void WholeBody_OfAnEmptyBatch_IsAnEmptyArray()
    {
        using var batch = new PendingBatch();

        Assert.Equal(("[]", 2), (Encoding.UTF8.GetString(batch.WholeBody().Span), batch.WholeBodyBytes));
    }

    [Fact]
    public void Add_BeyondTheFirstBuffer_Grows_AndKeepsWhatWasThere()
    {
        using var batch = new PendingBatch(capacityBytes: 256, capacityEvents: 1);
        var big = Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 1000) + "\"}");

        batch.Add("{\"s\":1}"u8, "small");
        batch.Add(big, "big");
        batch.Add("{\"s\":2}"u8, "small");

        Assert.Equal("{\"s\":1}", Encoding.UTF8.GetString(batch.Json(0)));
        Assert.Equal(big, batch.Json(1).ToArray());
        Assert.Equal("{\"s\":2}", Encoding.UTF8.GetString(batch.Json(2)));
    }

    [Fact]
    public void Dispose_Twice_IsHarmless_AndEmptiesIt()
    {
        var batch = TestBatches.Numbered(0, 3);

        batch.Dispose();
        batch.Dispose();

        Assert.Equal((0, 0), (batch.Count, batch.DataBytes));
    }
}
