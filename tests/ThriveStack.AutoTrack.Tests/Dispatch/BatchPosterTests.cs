using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>One request: the body it writes, what a throwing transport means, what it measures.</summary>
public sealed class BatchPosterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Post_WritesTheRangeAsAJsonArray_AndCountsTheRequest()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var batches = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.batches.sent");
        var transport = new Recording(_ => SendResult.Delivered(200));
        var poster = new BatchPoster(transport, RecordKind.Track, _time, new ThriveStackMetrics(meters), 2, CancellationToken.None);

        var result = await poster.PostAsync(TestBatches.Numbered(0, 5), 1, 3);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("[{\"s\":  1},{\"s\":  2},{\"s\":  3}]", transport.Bodies.Single());
        Assert.Equal(3, transport.Counts.Single());
        Assert.Equal("delivered", Assert.Single(batches.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task TransportThrows_ATransientFailure()
    {
        var poster = new BatchPoster(new Recording(_ => throw new HttpRequestException("down")), RecordKind.Track, _time,
            new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), 1, CancellationToken.None);

        var result = await poster.PostAsync(TestBatches.Numbered(0, 1), 0, 1);

        Assert.Equal((SendOutcome.Transient, "HttpRequestException"), (result.Outcome, result.Error));
    }

    [Fact]
    public async Task StopDeadline_CancellationPassesThrough()
    {
        using var abort = new CancellationTokenSource();
        await abort.CancelAsync();
        var poster = new BatchPoster(new Recording(_ => throw new OperationCanceledException(abort.Token)), RecordKind.Track, _time,
            new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), 1, abort.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poster.PostAsync(TestBatches.Numbered(0, 1), 0, 1));
    }

    [Fact]
    public async Task TwoSlots_TwoBodiesAtOnce()
    {
        var transport = new Recording(_ => SendResult.Delivered(200));
        var poster = new BatchPoster(transport, RecordKind.Track, _time, new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), 2, CancellationToken.None);

        // Halves of split batches: written into the slots' buffers (a whole batch needs none).
        await Task.WhenAll(poster.PostAsync(TestBatches.Numbered(0, 2), 0, 1, slot: 0), poster.PostAsync(TestBatches.Numbered(9, 2), 1, 1, slot: 1));

        Assert.Equal(["[{\"s\":  0}]", "[{\"s\": 10}]"], transport.Bodies.Order());
    }

    [Fact]
    public async Task WholeBatch_GoesFromItsOwnBuffer_NotCopied()
    {
        using var batch = TestBatches.Numbered(0, 3);
        var transport = new Recording(_ => SendResult.Delivered(200));
        var poster = new BatchPoster(transport, RecordKind.Track, _time, new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), 1, CancellationToken.None);

        await poster.PostAsync(batch, 0, 3);

        var sent = transport.LastBody;
        Assert.True(MemoryMarshal.TryGetArray(sent, out var sentArray));
        Assert.True(MemoryMarshal.TryGetArray(batch.WholeBody(), out var own));
        Assert.Same(own.Array, sentArray.Array);
        Assert.Equal("[{\"s\":  0},{\"s\":  1},{\"s\":  2}]", Encoding.UTF8.GetString(sent.Span));
    }

    private sealed class Recording(Func<string, SendResult> answer) : IBatchTransport
    {
        public List<string> Bodies { get; } = [];
        public List<int> Counts { get; } = [];
        public ReadOnlyMemory<byte> LastBody { get; private set; }

        public Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
        {
            var text = Encoding.UTF8.GetString(body.Span);
            LastBody = body;
            lock (Bodies)
            {
                Bodies.Add(text);
                Counts.Add(eventCount);
            }
            return Task.FromResult(answer(text));
        }
    }
}
