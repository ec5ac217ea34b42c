using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.EventsPage;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// What an app with the events page mapped (<c>app.MapThriveStackEvents(...)</c>) pays for each delivered batch: the
/// copy the page keeps, per event, for a full batch of 500 page visits (about 480 bytes each) at the default capacity.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EventsPageBenchmarks
{
    private const int Events = 500;
    private readonly LocalEventLog _log = new(Options.Create(new ThriveStackOptions()), TimeProvider.System);
    private readonly byte[] _batch = Batch();

    [GlobalSetup]
    public void Setup() => _log.StartRecording();

    /// <summary>One delivered batch recorded; reported per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public void Record_FullBatch() => _log.Record(RecordKind.Track, _batch, Events);

    private static byte[] Batch()
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < Events; i++)
        {
            if (i > 0)
                json.Append(',');
            json.Append("{\"event_name\":\"page_visit\",\"properties\":{\"page_url\":\"https://shop.example.com/pricing?utm_source=newsletter\",")
                .Append("\"page_path\":\"/pricing\",\"page_title\":\"Pricing\",\"page_referrer\":\"https://www.google.com/\",\"utm_source\":\"newsletter\",")
                .Append("\"device_type\":\"desktop\",\"browser\":\"Chrome\",\"os\":\"Windows\"},\"user_id\":\"8f14e45fceea167a5a36dedd4bea2543\",")
                .Append("\"timestamp\":\"2026-12-02T08:00:00.000Z\",\"context\":{\"device_id\":\"8f14e45fceea167a5a36dedd4bea2543\",")
                .Append("\"session_id\":\"c9f0f895fb98ab9159f51fd0297e236d\",\"source\":\"marketing\"}}");
        }
        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }
}
