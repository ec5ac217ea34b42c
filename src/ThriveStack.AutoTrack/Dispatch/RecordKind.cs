namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The three kinds of record AutoTrack delivers, one ingestion endpoint each (<c>/api/track</c>, <c>/api/identify</c>,
/// <c>/api/group</c>). Each kind has its own pipeline: its own queue, batches, pause state and spool, so an outage of one
/// endpoint delays only its own records.
/// </summary>
internal enum RecordKind
{
    /// <summary>Track events (<c>/api/track</c>).</summary>
    Track,

    /// <summary>User traits (<c>/api/identify</c>).</summary>
    Identify,

    /// <summary>Group memberships and traits (<c>/api/group</c>).</summary>
    Group,
}

/// <summary>Names of a <see cref="RecordKind"/>: the metric tag, the endpoint's last path segment, the spool file.</summary>
internal static class RecordKinds
{
    public static readonly RecordKind[] All = [RecordKind.Track, RecordKind.Identify, RecordKind.Group];

    /// <summary>The lower-case name: the <c>kind</c> tag of metrics, the endpoint's last path segment, the log word.</summary>
    public static string Name(this RecordKind kind) => kind switch
    {
        RecordKind.Identify => "identify",
        RecordKind.Group => "group",
        _ => "track",
    };
}

/// <summary>What the pipeline needs of a record: its name for logs (never its values), when it was accepted, its wire JSON.</summary>
internal interface IOutboundRecord
{
    /// <summary>The event name, or <c>identify</c>/<c>group</c>: what logs may say about a record.</summary>
    string RecordName { get; }

    /// <summary>When the record was accepted (<see cref="AcceptClock.Now"/>); drives the flush deadline.</summary>
    long AcceptedAt { get; }

    /// <summary>Writes the record as one element of the endpoint's JSON array.</summary>
    void WriteJson(System.Text.Json.Utf8JsonWriter writer);
}
