using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

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
    private readonly Uri _endpoint;
    private readonly string _apiKey;
    private readonly TimeSpan _requestTimeout;

    public HttpBatchTransport(IHttpClientFactory clients, TimeProvider time, IOptions<ThriveStackOptions> options)
    {
        _clients = clients;
        _time = time;
        var o = options.Value;
        _endpoint = o.Endpoint ?? ThriveStackOptions.DefaultEndpoint;
        _apiKey = o.ApiKey ?? string.Empty;
        _requestTimeout = o.RequestTimeout;
    }

    public async Task<SendResult> SendAsync(ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        request.Headers.Accept.Add(AnyMediaType);
        request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);

        using var timeout = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return Classify(response);
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
        var outcome = response.StatusCode switch
        {
            _ when response.IsSuccessStatusCode => SendOutcome.Delivered,
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => SendOutcome.Rejected,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => SendOutcome.Unauthorized,
            HttpStatusCode.TooManyRequests => SendOutcome.RateLimited,
            HttpStatusCode.RequestTimeout => SendOutcome.Transient,
            _ when status >= 500 => SendOutcome.Transient,
            _ => SendOutcome.Failed,
        };
        return new SendResult(outcome, status, RetryAfterOf(response));
    }

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
