namespace ThriveStack.AutoTrack;

/// <summary>Where events wait while the track API cannot take them (<see cref="ThriveStackOptions.Durability"/>).</summary>
public enum EventDurability
{
    /// <summary>
    /// In a SQLite spool on disk (<see cref="ThriveStackOptions.SpoolPath"/>): failed batches, queue overflow and what is
    /// left at shutdown survive restarts and crashes, and are sent first when the app starts again. The default.
    /// </summary>
    Disk,

    /// <summary>In memory only, bounded by <see cref="ThriveStackOptions.MaxQueueSize"/>; lost when the process ends.</summary>
    Memory,
}
