namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The size bounds every event must keep. An event that breaks one is dropped before it is queued
/// (counted as <c>invalid</c> and logged), so one bad event never poisons a batch.
/// </summary>
public static class EventLimits
{
    /// <summary><c>event_name</c>: at most 128 characters.</summary>
    public const int MaxEventNameLength = 128;

    /// <summary><c>user_id</c> and each <c>context</c> field: at most 256 characters.</summary>
    public const int MaxIdLength = 256;

    /// <summary>A property name: at most 128 characters.</summary>
    public const int MaxPropertyNameLength = 128;

    /// <summary>A string property value: at most 8,192 characters.</summary>
    public const int MaxStringValueLength = 8 * 1024;

    /// <summary>Properties in one object (top level or nested): at most 256.</summary>
    public const int MaxPropertyCount = 256;

    /// <summary>Items in one array value: at most 1,000.</summary>
    public const int MaxArrayLength = 1_000;

    /// <summary>Nesting of objects and arrays inside <c>properties</c>: at most 8 levels.</summary>
    public const int MaxDepth = 8;

    /// <summary>One event's serialized JSON: at most 64 KiB; larger ones are dropped as <c>too_large</c> when serialized.</summary>
    public const int MaxEventBytes = 64 * 1024;
}
