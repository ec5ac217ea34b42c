using BenchmarkDotNet.Attributes;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>Serializing one batch of 100 typical events into a request body, as the dispatcher does.</summary>
[MemoryDiagnoser]
public class SerializationBenchmarks
{
    private readonly BatchBuffer _buffer = new(maxEvents: 100, maxBytes: 512 * 1024);
    private ThriveStackEvent[] _events = [];

    [GlobalSetup(Target = nameof(SerializeBatchOf100))]
    public void Setup()
    {
        _events = Enumerable.Range(0, 100).Select(i =>
        {
            var e = ThriveStackEvent.PageVisit("18f716ac-37a4-464f-adb7-3cc30032308c", "https://acme.com/what_is_acme?utm_source=newsletter",
                "/what_is_acme", "https://google.com", "what is acme", new UtmParameters("newsletter", "email", "summer_promotion"));
            e.Timestamp = new DateTimeOffset(2024, 1, 15, 10, 30, 0, i, TimeSpan.Zero);
            e.Context = new EventContext { GroupId = "ac8db7ba-5139-4911-ba6e-523fd9c4704b", DeviceId = "7d08298f", SessionId = "session_e2iukz3vduo", Source = "product" };
            return e;
        }).ToArray();
    }

    private readonly System.Buffers.ArrayBufferWriter<byte> _body = new(64 * 1024);

    /// <summary>The same events with a browser's user-agent fields, as the middleware's page visits carry them.</summary>
    [GlobalSetup(Target = nameof(SerializeEnrichedBatchOf100))]
    public void SetupEnriched()
    {
        Setup();
        var parser = new UserAgents.UserAgentParser(new UserAgents.UserAgentParserOptions());
        const string chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        var info = parser.Parse(chrome);
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Headers.UserAgent = chrome;
        foreach (var e in _events)
            UserAgents.UserAgentEnrichment.AddTo(e.Deferred!, http.Request, info);
    }

    /// <summary>Serializes 100 events and writes the request body, as the collecting and sending loops do.</summary>
    [Benchmark]
    public int SerializeBatchOf100() => SerializeBatch();

    /// <summary>The same with user-agent fields (browser, versions, OS, device type) on each event.</summary>
    [Benchmark]
    public int SerializeEnrichedBatchOf100() => SerializeBatch();

    private Microsoft.AspNetCore.Http.HttpRequest _request = null!;
    private readonly Identity.PrivacyOptions _privacy = new();

    /// <summary>A returning visitor's page request, as <see cref="MiddlewareBenchmarks"/> makes it.</summary>
    [GlobalSetup(Targets = [nameof(PageVisitsFromTheRequest_WorkedOutWhenWritten), nameof(PageVisitsFromTheRequest_WorkedOutFirst)])]
    public void SetupRequest()
    {
        var r = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
        r.Scheme = "https";
        r.Host = new Microsoft.AspNetCore.Http.HostString("www.acme.com");
        r.Path = "/pricing";
        r.QueryString = new Microsoft.AspNetCore.Http.QueryString("?utm_source=newsletter&utm_medium=email&utm_campaign=summer");
        r.Headers.Referer = "https://www.google.com/";
        _request = r;
    }

    /// <summary>
    /// 100 page visits made from the request and written, their URL, path, referrer and UTM fields worked out as each is
    /// written (by the collecting loop), as the middleware makes them: the work taken off the request path, counted here.
    /// </summary>
    [Benchmark]
    public int PageVisitsFromTheRequest_WorkedOutWhenWritten()
    {
        for (var i = 0; i < 100; i++)
        {
            var e = ThriveStackEvent.PageVisit("18f716ac-37a4-464f-adb7-3cc30032308c",
                new PageVisits.PageSource(_request, PageVisits.PageRequestKind.Document, _privacy, 2048), "Pricing");
            e.Timestamp = DateTimeOffset.UnixEpoch;
            _buffer.TryAdd(e);
        }
        using var batch = _buffer.Take();
        return batch.Count;
    }

    /// <summary>The same with the fields worked out first, as the middleware did on the request path before 2026-12-03.</summary>
    [Benchmark]
    public int PageVisitsFromTheRequest_WorkedOutFirst()
    {
        for (var i = 0; i < 100; i++)
        {
            new PageVisits.PageSource(_request, PageVisits.PageRequestKind.Document, _privacy, 2048).Resolve(out var url, out var path, out var referrer, out var utm);
            var e = ThriveStackEvent.PageVisit("18f716ac-37a4-464f-adb7-3cc30032308c", url, path, referrer, "Pricing", utm);
            e.Timestamp = DateTimeOffset.UnixEpoch;
            _buffer.TryAdd(e);
        }
        using var batch = _buffer.Take();
        return batch.Count;
    }

    private int SerializeBatch()
    {
        foreach (var e in _events)
            _buffer.TryAdd(e);
        using var batch = _buffer.Take();
        _body.ResetWrittenCount();
        batch.WriteBody(_body, 0, batch.Count);
        return _body.WrittenCount;
    }
}
