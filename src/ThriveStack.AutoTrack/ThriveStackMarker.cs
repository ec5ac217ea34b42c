namespace ThriveStack.AutoTrack;

/// <summary>Registered by <c>AddThriveStack</c>; lets <c>UseThriveStackTracking</c> and repeated calls see that it ran.</summary>
internal sealed class ThriveStackMarker;
