using System.Text.Json;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The properties AutoTrack itself puts on an event (a page visit's page and UTM fields, the request's user-agent
/// fields), held as references to strings that already exist instead of as entries of a dictionary: a page view then
/// allocates this one small object, not a twelve-entry <see cref="Dictionary{TKey, TValue}"/> that lives until its batch
/// is sent. <see cref="EventWriter"/> writes them in the order the dictionary held them. The first read of
/// <see cref="ThriveStackEvent.Properties"/> turns them into ordinary entries (<see cref="CopyTo"/>), so code that reads
/// or changes the bag sees what it always saw.
/// </summary>
/// <remarks>Threads: filled on the tracking thread before the event is queued, read by the collecting loop afterwards
/// (or by code that reads <see cref="ThriveStackEvent.Properties"/>, one thread at a time, as for any event). A page
/// visit's URL fields are worked out by that first reader (<see cref="SetPage"/>), not by the request.</remarks>
internal sealed class DeferredProperties
{
    private static readonly JsonEncodedText PageTitleName = JsonEncodedText.Encode(ReservedProperties.PageTitle);
    private static readonly JsonEncodedText PageUrlName = JsonEncodedText.Encode(ReservedProperties.PageUrl);
    private static readonly JsonEncodedText PagePathName = JsonEncodedText.Encode(ReservedProperties.PagePath);
    private static readonly JsonEncodedText PageReferrerName = JsonEncodedText.Encode(ReservedProperties.PageReferrer);
    private static readonly JsonEncodedText UtmSourceName = JsonEncodedText.Encode(ReservedProperties.UtmSource);
    private static readonly JsonEncodedText UtmMediumName = JsonEncodedText.Encode(ReservedProperties.UtmMedium);
    private static readonly JsonEncodedText UtmCampaignName = JsonEncodedText.Encode(ReservedProperties.UtmCampaign);
    private static readonly JsonEncodedText UtmTermName = JsonEncodedText.Encode(ReservedProperties.UtmTerm);
    private static readonly JsonEncodedText UtmContentName = JsonEncodedText.Encode(ReservedProperties.UtmContent);
    private static readonly JsonEncodedText BrowserName = JsonEncodedText.Encode(UserAgentEnrichment.Browser);
    private static readonly JsonEncodedText BrowserVersionName = JsonEncodedText.Encode(UserAgentEnrichment.BrowserVersion);
    private static readonly JsonEncodedText OsName = JsonEncodedText.Encode(UserAgentEnrichment.Os);
    private static readonly JsonEncodedText OsVersionName = JsonEncodedText.Encode(UserAgentEnrichment.OsVersion);
    private static readonly JsonEncodedText DeviceTypeName = JsonEncodedText.Encode(UserAgentEnrichment.DeviceType);

    // The page's fields are properties when not null or empty (as a page visit's factory always had it), the user
    // agent's when not null (as UserAgentEnrichment.AddTo had it).
    public string? PageTitle;
    public string? PageUrl;
    public string? PagePath;
    public string? PageReferrer;
    public UtmParameters? Utm;
    private PageVisits.PageSource _page; // while _pagePending: what PageUrl, PagePath, PageReferrer and Utm are made from
    private bool _pagePending;
    public UserAgentInfo? Agent; // the user agent's fields, from the parse (cached and shared) and, refined by client hints,
    public string? Os;           // the OS (null: none)
    public string? DeviceType;   // and the device type

    // As UserAgentEnrichment.AddTo(Dictionary) words them.
    private string? Browser => Agent is { UserAgent.Family: not "Other" } agent ? agent.UserAgent.Family : null;

    private string? BrowserVersion => Agent is { UserAgent.Family: not "Other" } agent ? agent.UserAgentVersion : null;

    private string? OsVersion => Agent is { } agent && Os is not null && Os == agent.Os.Family ? agent.OsVersion : null;

    /// <summary>
    /// Holds the page's URL fields as the request's parts, to be worked out by the first reader of the properties
    /// (<see cref="Count"/>, <see cref="CopyTo"/>, <see cref="WriteMembers"/>) instead of on the request path.
    /// </summary>
    public void SetPage(in PageVisits.PageSource page)
    {
        _page = page;
        _pagePending = true;
    }

    // The fields are written before the flag is cleared, so a reader that finds it cleared finds them (an event has one
    // reader at a time; this keeps a second one from seeing the flag without the fields).
    private void ResolvePage()
    {
        if (!Volatile.Read(ref _pagePending))
            return;
        _page.Resolve(out PageUrl, out PagePath, out PageReferrer, out Utm);
        Volatile.Write(ref _pagePending, false);
    }

    /// <summary>How many properties are set.</summary>
    public int Count
    {
        get
        {
            ResolvePage();
            var count = Set(PageTitle) + Set(PageUrl) + Set(PagePath) + Set(PageReferrer)
                + NotNull(Browser) + NotNull(BrowserVersion) + NotNull(Os) + NotNull(OsVersion) + NotNull(DeviceType);
            if (Utm is { } utm)
                count += Set(utm.Source) + Set(utm.Medium) + Set(utm.Campaign) + Set(utm.Term) + Set(utm.Content);
            return count;
        }
    }

    /// <summary>Adds the set properties to <paramref name="properties"/>: the page's over what is there, the user agent's only where absent.</summary>
    public void CopyTo(Dictionary<string, object?> properties)
    {
        ResolvePage();
        SetIfSet(properties, ReservedProperties.PageTitle, PageTitle);
        SetIfSet(properties, ReservedProperties.PageUrl, PageUrl);
        SetIfSet(properties, ReservedProperties.PagePath, PagePath);
        SetIfSet(properties, ReservedProperties.PageReferrer, PageReferrer);
        Utm?.AddTo(properties);
        AddIfNotNull(properties, UserAgentEnrichment.Browser, Browser);
        AddIfNotNull(properties, UserAgentEnrichment.BrowserVersion, BrowserVersion);
        AddIfNotNull(properties, UserAgentEnrichment.Os, Os);
        AddIfNotNull(properties, UserAgentEnrichment.OsVersion, OsVersion);
        AddIfNotNull(properties, UserAgentEnrichment.DeviceType, DeviceType);
    }

    /// <summary>Writes the set properties as the members of an open JSON object, in <see cref="CopyTo"/>'s order.</summary>
    public void WriteMembers(Utf8JsonWriter writer)
    {
        ResolvePage();
        WriteIfSet(writer, PageTitleName, PageTitle);
        WriteIfSet(writer, PageUrlName, PageUrl);
        WriteIfSet(writer, PagePathName, PagePath);
        WriteIfSet(writer, PageReferrerName, PageReferrer);
        if (Utm is { } utm)
        {
            WriteIfSet(writer, UtmSourceName, utm.Source);
            WriteIfSet(writer, UtmMediumName, utm.Medium);
            WriteIfSet(writer, UtmCampaignName, utm.Campaign);
            WriteIfSet(writer, UtmTermName, utm.Term);
            WriteIfSet(writer, UtmContentName, utm.Content);
        }
        if (Agent is not { } agent)
        {
            WriteIfNotNull(writer, OsName, Os);
            WriteIfNotNull(writer, DeviceTypeName, DeviceType);
            return;
        }
        // The user agent's fields from their encoded bytes, made once per cached parse; the OS and device type only
        // while they are the parse's own (client hints may have replaced them).
        var encoded = agent.Encoded;
        if (Browser is { } browser)
            WireText.WriteString(writer, BrowserName, browser, encoded.Browser);
        if (BrowserVersion is { } browserVersion)
            WireText.WriteString(writer, BrowserVersionName, browserVersion, encoded.BrowserVersion);
        if (Os is { } os)
            WireText.WriteString(writer, OsName, os, ReferenceEquals(os, agent.Os.Family) ? encoded.Os : null);
        if (OsVersion is { } osVersion)
            WireText.WriteString(writer, OsVersionName, osVersion, encoded.OsVersion);
        if (DeviceType is { } deviceType)
            WireText.WriteString(writer, DeviceTypeName, deviceType, ReferenceEquals(deviceType, agent.DeviceType) ? encoded.DeviceType : null);
    }

    /// <summary>
    /// Null when every value is within <see cref="EventLimits.MaxStringValueLength"/>, else the reason, worded as
    /// <see cref="PropertyValues.Validate"/> words it. The page's URL fields are not worked out for this when their bounds
    /// keep them within the limit (<see cref="PageVisits.PageSource.IsBoundedBy"/>), as they do unless
    /// <c>MaxUrlLength</c> is set above it.
    /// </summary>
    public string? Validate()
    {
        if (_pagePending && !_page.IsBoundedBy(EventLimits.MaxStringValueLength))
            ResolvePage();
        return TooLong(ReservedProperties.PageTitle, PageTitle) ?? TooLong(ReservedProperties.PageUrl, PageUrl)
            ?? TooLong(ReservedProperties.PagePath, PagePath) ?? TooLong(ReservedProperties.PageReferrer, PageReferrer)
            ?? TooLong(ReservedProperties.UtmSource, Utm?.Source) ?? TooLong(ReservedProperties.UtmMedium, Utm?.Medium)
            ?? TooLong(ReservedProperties.UtmCampaign, Utm?.Campaign) ?? TooLong(ReservedProperties.UtmTerm, Utm?.Term)
            ?? TooLong(ReservedProperties.UtmContent, Utm?.Content) ?? TooLong(UserAgentEnrichment.Browser, Browser)
            ?? TooLong(UserAgentEnrichment.BrowserVersion, BrowserVersion) ?? TooLong(UserAgentEnrichment.Os, Os)
            ?? TooLong(UserAgentEnrichment.OsVersion, OsVersion) ?? TooLong(UserAgentEnrichment.DeviceType, DeviceType);
    }

    private static string? TooLong(string name, string? value)
        => value is not null && value.Length > EventLimits.MaxStringValueLength ? string.Concat("property '", name, "': string longer than the limit") : null;

    private static int Set(string? value) => string.IsNullOrEmpty(value) ? 0 : 1;

    private static void SetIfSet(Dictionary<string, object?> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            properties[name] = value;
    }

    private static int NotNull(string? value) => value is null ? 0 : 1;

    private static void AddIfNotNull(Dictionary<string, object?> properties, string name, string? value)
    {
        if (value is not null)
            properties.TryAdd(name, value);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            writer.WriteString(name, value);
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
    }
}
