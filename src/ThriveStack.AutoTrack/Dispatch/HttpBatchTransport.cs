using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.EventsPage;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>Posts batches to the track API with the headers the contract requires, through <see cref="IHttpClientFactory"/>.</summary>
internal sealed class HttpBatchTransport : IBatchTransport
{
    /// <summary>The named client AutoTrack uses; configure it with <c>AddHttpClient(HttpBatchTransport.ClientName)</c>.</summary>
    public const string ClientName = "ThriveStack.AutoTrack";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AnyMediaType = new("*/*");

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly Uri[] _endpoints; // by RecordKind
    private readonly string _apiKey;
    private readonly TimeSpan _requestTimeout;
    private readonly LocalEventLog? _eventsPage;
    private readonly ApiWarnings? _warnings;

    public HttpBatchTransport(IHttpClientFactory clients, TimeProvider time, IOptions<ThriveStackOptions> options,
        LocalEventLog? eventsPage = null, ApiWarnings? warnings = null)
    {
        _eventsPage = eventsPage;
        _warnings = warnings;
        _clients = clients;
        _time = time;
        var o = options.Value;
        _endpoints = [.. RecordKinds.All.Select(o.EndpointOf)];
        _apiKey = o.ApiKey ?? string.Empty;
        _requestTimeout = o.RequestTimeout;
    }

    public async Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoints[(int)kind]) { Content = content };
        request.Headers.Accept.Add(AnyMediaType);
        request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);

        using var timeout = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var result = Classify(response);
            if (result.Outcome == SendOutcome.Delivered)
            {
                if (_warnings is not null)
                    await ReportWarningsAsync(response.Content, linked.Token).ConfigureAwait(false);
                if (_eventsPage is { IsRecording: true })
                    _eventsPage.Record(kind, body, eventCount); // a copy for the events page, only once it is mapped and allowed
            }
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Transient, 0, Error: "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(SendOutcome.Transient, 0, Error: "network: " + ex.HttpRequestError);
        }
    }

    private SendResult Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (RedirectFollowed(response) is { } target)
            return new SendResult(SendOutcome.Redirected, status, Detail: target); // a handler the app configured followed it
        var outcome = response.StatusCode switch
        {
            _ when response.IsSuccessStatusCode => IsApiAnswer(response) ? SendOutcome.Delivered : SendOutcome.NotTheApi,
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => SendOutcome.Rejected,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => SendOutcome.Unauthorized,
            HttpStatusCode.TooManyRequests => SendOutcome.RateLimited,
            HttpStatusCode.RequestTimeout => SendOutcome.Transient,
            _ when status >= 500 => SendOutcome.Transient,
            _ when status is >= 300 and < 400 => SendOutcome.Redirected,
            _ => SendOutcome.Failed,
        };
        var detail = outcome switch
        {
            SendOutcome.Redirected => response.Headers.Location is { } location ? DisplayLocation(location, response.RequestMessage?.RequestUri) : "(no Location header)",
            SendOutcome.NotTheApi => response.Content.Headers.ContentType?.MediaType,
            _ => null,
        };
        return new SendResult(outcome, status, RetryAfterOf(response), Detail: detail);
    }

    /// <summary>Most bytes of an accepted batch's answer read for its <c>warnings</c>; a larger answer is not read.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    /// <summary>The first buffer for an answer of unknown length (chunked); it doubles as needed, up to <see cref="MaxAnswerBytes"/>.</summary>
    private const int FirstAnswerBuffer = 1024;

    /// <summary>
    /// The answer to an accepted batch may carry <c>warnings</c>: read it (bounded) and report them. Never throws for a bad
    /// answer. The buffer fits the answer: its <c>Content-Length</c>, else grown as it is read. (Renting the largest for
    /// every answer took a 128 KiB array from the large object heap, which the shared pool then keeps per thread.)
    /// </summary>
    private async Task ReportWarningsAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared is > MaxAnswerBytes or 0)
            return;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)(declared ?? FirstAnswerBuffer) + 1);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > MaxAnswerBytes)
                            return; // too large to be read for its warnings
                        var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxAnswerBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxAnswerBytes + 1) - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                        break;
                    length += read;
                    if (length > MaxAnswerBytes)
                        return;
                }
                _warnings!.Report(buffer.AsSpan(0, length));
            }
        }
        catch (Exception)
        {
            // The batch is delivered, whatever its answer's body holds: a lost or odd body only loses its warnings, and
            // must never turn an accepted batch into a failure that would send it again.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The track API answers JSON (<c>{"success":true,...}</c>). A 2xx counts as delivery when its content type is JSON, or
    /// when it has none (an empty 200 or 204 from a gateway or test double). Any other content type (an HTML login or
    /// captive-portal page, a proxy's text) is not the API, so the events are kept and sent again.
    /// </summary>
    private static bool IsApiAnswer(HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return mediaType is null
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Where the request ended up when a handler followed a redirect (the app may configure its own primary handler).</summary>
    private string? RedirectFollowed(HttpResponseMessage response)
    {
        var sent = response.RequestMessage;
        if (sent is null || (sent.Method == HttpMethod.Post && Array.IndexOf(_endpoints, sent.RequestUri) >= 0))
            return null;
        return sent.RequestUri is { } uri ? ThriveStackOptions.Display(uri) : "(unknown)";
    }

    private static string DisplayLocation(Uri location, Uri? sent)
        => location.IsAbsoluteUri || sent is null ? ThriveStackOptions.Display(location) : ThriveStackOptions.Display(new Uri(sent, location));

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
            return null;
        if (retryAfter.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retryAfter.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
