using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace ThriveStack.AutoTrack;

/// <summary>
/// Validates <see cref="ThriveStackOptions"/> when the host starts: the endpoint's form and scheme, sizes, time spans,
/// and the API key when it is required. Each message names the setting, its allowed range and its default.
/// </summary>
/// <remarks>
/// Hand-written rather than a source-generated <c>[OptionsValidator]</c> over <c>[Range]</c> attributes: the generated
/// one replaces our messages with "The field ThriveStackOptions.BatchSize must be between…", which does not say
/// which configuration key to change.
/// </remarks>
internal sealed class ThriveStackOptionsValidator : IValidateOptions<ThriveStackOptions>
{
    private static readonly TimeSpan MaxFlushInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, ThriveStackOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();

        if (options.Endpoint is null)
            builder.AddError($"ThriveStack:Endpoint is missing. Leave it unset for the default {ThriveStackOptions.DefaultEndpoint} or set an absolute URL.");
        else
            CheckEndpoint(builder, "Endpoint", options.Endpoint);
        if (options.IdentifyEndpoint is { } identify)
            CheckEndpoint(builder, "IdentifyEndpoint", identify);
        if (options.GroupEndpoint is { } group)
            CheckEndpoint(builder, "GroupEndpoint", group);
        if (string.IsNullOrWhiteSpace(options.AutoIdentify.GroupType))
            builder.AddError("ThriveStack:AutoIdentify:GroupType is empty; the group API requires a group_type. Leave it unset for the default 'Account'.");
        CheckRange(builder, "Browser:MaxBodyBytes", options.Browser.MaxBodyBytes, 1024, 1024 * 1024, 16 * 1024);
        CheckRange(builder, "Browser:MaxEventsPerPost", options.Browser.MaxEventsPerPost, 1, 100, 20);
        CheckRange(builder, "Browser:PostsPerMinutePerDevice", options.Browser.PostsPerMinutePerDevice, 1, 1_000_000_000, 120);
        CheckRange(builder, "Browser:PostsPerMinutePerAddress", options.Browser.PostsPerMinutePerAddress, 1, 1_000_000_000, 1200);
        if (!Browser.BrowserPaths.IsValidPrefix(options.Browser.PathPrefix))
            builder.AddError($"ThriveStack:Browser:PathPrefix '{options.Browser.PathPrefix}' must start with '/', not end with '/', and hold only URL path characters. Leave it unset for '/_thrivestack'.");
        CheckRange(builder, "AutoIdentify:MaxRemembered", options.AutoIdentify.MaxRemembered, 1, 10_000_000, 10_000);

        // The API answers 400 to a request of more than 1,000 records or 2 MB of JSON: a larger batch could never be delivered.
        CheckRange(builder, "BatchSize", options.BatchSize, 1, ThriveStackOptions.MaxRecordsPerRequest, 500,
            "the API takes at most 1,000 records per request");
        CheckRange(builder, "MaxBatchBytes", options.MaxBatchBytes, 1024, ThriveStackOptions.MaxBytesPerRequest, 512 * 1024,
            "the API takes at most 2 MB of JSON per request");
        CheckRange(builder, "MaxQueueSize", options.MaxQueueSize, 1, 1_000_000, 10_000);
        CheckRange(builder, "MaxConcurrentRequests", options.MaxConcurrentRequests, 1, 16, 4);
        CheckRange(builder, "EventsPage:Capacity", options.EventsPage.Capacity, 1, 100_000, 500);
        CheckSpan(builder, "FlushInterval", options.FlushInterval, MaxFlushInterval, "00:00:05");
        CheckSpan(builder, "ShutdownTimeout", options.ShutdownTimeout, MaxTimeout, "00:00:05");
        CheckSpan(builder, "RequestTimeout", options.RequestTimeout, MaxTimeout, "00:00:10");

        CheckSpan(builder, "RetryMaxDelay", options.RetryMaxDelay, MaxFlushInterval, "00:01:00");
        CheckSpan(builder, "KeyRefusedRetryInterval", options.KeyRefusedRetryInterval, MaxFlushInterval, "00:05:00");
        if (options.RetryBaseDelay < TimeSpan.FromMilliseconds(10) || options.RetryBaseDelay > options.RetryMaxDelay)
        {
            builder.AddError(string.Create(CultureInfo.InvariantCulture,
                $"ThriveStack:RetryBaseDelay is {options.RetryBaseDelay}; it must be at least 00:00:00.010 and at most RetryMaxDelay ({options.RetryMaxDelay}) (default \"00:00:01\")."));
        }
        if (options.MaxSpoolBytes < 1024 * 1024 || options.MaxSpoolBytes > 64L * 1024 * 1024 * 1024)
        {
            builder.AddError(string.Create(CultureInfo.InvariantCulture,
                $"ThriveStack:MaxSpoolBytes is {options.MaxSpoolBytes}; it must be between 1048576 (1 MiB) and 68719476736 (64 GiB) (default 268435456)."));
        }
        if (!Enum.IsDefined(options.Durability))
            builder.AddError($"ThriveStack:Durability is {options.Durability}; use Disk (default) or Memory.");

        if (options.RequireApiKey && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            builder.AddError("ThriveStack:ApiKey is required (RequireApiKey is true) but not set. Set it in configuration, e.g. the environment variable ThriveStack__ApiKey or user secrets; find the key in the ThriveStack dashboard under Settings → API Keys.");
        }

        return builder.Build();
    }

    /// <summary>An ingestion URL: absolute, and https (plain http only to a loopback address, so the key never crosses a network in clear text).</summary>
    private static void CheckEndpoint(ValidateOptionsResultBuilder builder, string key, Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
            builder.AddError($"ThriveStack:{key} '{endpoint.OriginalString}' is not an absolute URL. Use a full URL such as {ThriveStackOptions.DefaultEndpoint}.");
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
            builder.AddError($"ThriveStack:{key} '{ThriveStackOptions.Display(endpoint)}' uses plain http to a non-loopback host, which would send the API key in clear text. Use https, or http only to localhost/127.0.0.1/[::1] for a local collector.");
        else if (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
            builder.AddError($"ThriveStack:{key} must use https (or http to a loopback address), not '{endpoint.Scheme}'.");
    }

    private static void CheckRange(ValidateOptionsResultBuilder builder, string setting, int value, int min, int max, int defaultValue, string? why = null)
    {
        if (value < min || value > max)
        {
            builder.AddError(string.Create(CultureInfo.InvariantCulture,
                $"ThriveStack:{setting} is {value}; it must be between {min} and {max} (default {defaultValue}){(why is null ? "" : ": " + why)}."));
        }
    }

    private static void CheckSpan(ValidateOptionsResultBuilder builder, string setting, TimeSpan value, TimeSpan max, string example)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            builder.AddError(string.Create(CultureInfo.InvariantCulture,
                $"ThriveStack:{setting} is {value}; it must be more than zero and at most {max} (e.g. \"{example}\", the default)."));
        }
    }

    private static bool IsLoopback(Uri endpoint)
        => endpoint.IsLoopback || (IPAddress.TryParse(endpoint.IdnHost, out var ip) && IPAddress.IsLoopback(ip));
}
