using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Configuration;

/// <summary>
/// Runs just before the configuration binder: a value that does not convert fails startup with the valid values (the
/// binder's own message names only the target type), and each unknown key is logged once, with the closest valid key.
/// </summary>
internal sealed partial class CheckBeforeBinding(IConfiguration section, ILogger logger) : IConfigureOptions<ThriveStackOptions>
{
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);

    public void Configure(ThriveStackOptions options)
    {
        var check = ConfigurationCheck.Inspect(section);
        foreach (var unknown in check.Unknown)
        {
            lock (_reported)
            {
                if (!_reported.Add(unknown.Path))
                    continue;
            }
            var hint = unknown.Suggestion is { } suggestion ? $" Did you mean '{SectionPrefix}{suggestion}'?" : "";
            Log.UnknownKey(logger, unknown.Path, unknown.Reason, hint);
        }
        if (check.Problems.Count > 0)
            throw new OptionsValidationException(Options.DefaultName, typeof(ThriveStackOptions), check.Problems);
    }

    private string SectionPrefix => section is IConfigurationSection { Path.Length: > 0 } s ? s.Path + ":" : "";

    private static partial class Log
    {
        [LoggerMessage(LogEvents.UnknownConfigurationKey, LogLevel.Warning, "ThriveStack: the configuration key '{Key}' {Reason}.{Hint}")]
        public static partial void UnknownKey(ILogger logger, string key, string reason, string hint);
    }
}

/// <summary>
/// Runs just after the configuration binder: a list option given as one value (an environment variable such as
/// <c>ThriveStack__PageVisits__ExcludePaths=/admin/*,/internal/*</c>), which the binder ignores, is split at commas and
/// semicolons and added to the list.
/// </summary>
internal sealed class ListsFromOneValue(IConfiguration section) : IConfigureOptions<ThriveStackOptions>
{
    public void Configure(ThriveStackOptions options)
    {
        foreach (var list in ConfigurationCheck.Inspect(section).ScalarLists)
        {
            var target = ListAt(options, list.RelativePath);
            if (target is null)
                continue;
            foreach (var item in list.Items)
            {
                if (!target.Contains(item))
                    target.Add(item);
            }
        }
    }

    /// <summary>The list option at a path relative to the section (every <see cref="OptionKind.List"/> key has one; a test checks).</summary>
    internal static ICollection<string>? ListAt(ThriveStackOptions options, string relativePath) => relativePath.ToUpperInvariant() switch
    {
        "PAGEVISITS:EXCLUDEPATHS" => options.PageVisits.ExcludePaths,
        "PAGEVISITS:INCLUDEPATHS" => options.PageVisits.IncludePaths,
        "IDENTITY:MARKETINGPATHPREFIXES" => options.Identity.MarketingPathPrefixes,
        "IDENTITY:PRODUCTPATHPREFIXES" => options.Identity.ProductPathPrefixes,
        "PRIVACY:REDACTEDQUERYPARAMETERS" => options.Privacy.RedactedQueryParameters,
        _ => null,
    };
}
