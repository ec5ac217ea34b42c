using System.Text;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.EventsPage;

namespace ThriveStack.AutoTrack.Tests.EventsPage;

/// <summary>What the events page keeps: copies of delivered batches, read only when the page is shown.</summary>
public sealed class LocalEventLogTests
{
    private static LocalEventLog Log(int capacity)
    {
        var log = new LocalEventLog(Options.Create(new ThriveStackOptions { EventsPage = { Capacity = capacity } }), TimeProvider.System);
        log.StartRecording();
        return log;
    }

    private static byte[] Batch(params int[] ids) => Encoding.UTF8.GetBytes("[" + string.Join(",", ids.Select(i => $"{{\"id\":{i}}}")) + "]");

    private static int[] Ids(LocalEventLog log) => [.. log.NewestFirst().Select(e => e.Json.GetProperty("id").GetInt32())];

    [Fact]
    public void NewestFirst_TheNewestCapacityEventsAcrossBatches_NumberedSinceStart()
    {
        var log = Log(capacity: 3);
        log.Record(RecordKind.Track, Batch(1, 2), 2);
        log.Record(RecordKind.Track, Batch(3, 4), 2);
        log.Record(RecordKind.Identify, Batch(5), 1);

        Assert.Equal([5, 4, 3], Ids(log));
        Assert.Equal([5L, 4L, 3L], log.NewestFirst().Select(e => e.Number));
        Assert.Equal([RecordKind.Identify, RecordKind.Track, RecordKind.Track], log.NewestFirst().Select(e => e.Kind));
        Assert.Equal(5, log.Received);
    }

    [Fact]
    public void Record_DropsBatchesNoLongerShown_KeepingAtMostTheCapacityPlusOneBatch()
    {
        var log = Log(capacity: 5);
        for (var i = 0; i < 100; i++)
            log.Record(RecordKind.Track, Batch(3 * i, 3 * i + 1, 3 * i + 2), 3);

        Assert.InRange(log.KeptEvents, 5, 5 + 3 - 1);
        Assert.Equal([299, 298, 297, 296, 295], Ids(log));
        Assert.Equal(300, log.Received);
    }

    [Fact]
    public void Record_OneBatchLargerThanTheCapacity_ShowsItsNewestEvents()
    {
        var log = Log(capacity: 2);
        log.Record(RecordKind.Track, Batch(1, 2, 3, 4), 4);

        Assert.Equal([4, 3], Ids(log));
        Assert.Equal([4L, 3L], log.NewestFirst().Select(e => e.Number));
    }

    [Fact]
    public void Record_NotRecording_KeepsNothing()
    {
        var log = new LocalEventLog(Options.Create(new ThriveStackOptions()), TimeProvider.System);
        log.Record(RecordKind.Track, Batch(1), 1);

        Assert.Empty(log.NewestFirst());
        Assert.Equal(0, log.Received);
    }

    [Fact]
    public void NewestFirst_ABodyThatIsNotAJsonArray_ShowsNothingOfIt()
    {
        var log = Log(capacity: 10);
        log.Record(RecordKind.Track, Batch(1), 1);
        log.Record(RecordKind.Track, Encoding.UTF8.GetBytes("[{\"id\":"), 1);
        log.Record(RecordKind.Track, Encoding.UTF8.GetBytes("{\"id\":9}"), 1);

        Assert.Equal([1], Ids(log));
    }

    [Fact]
    public void Record_KeepsACopy_NotTheSendersBuffer()
    {
        var log = Log(capacity: 10);
        var buffer = Batch(7);
        log.Record(RecordKind.Track, buffer, 1);
        Array.Fill(buffer, (byte)' ');

        Assert.Equal([7], Ids(log));
    }
}
