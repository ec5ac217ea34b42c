namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Endpoint metadata: requests to this controller, action, Razor Page or endpoint produce no <c>page_visit</c>. For minimal
/// APIs use <c>.DoNotTrack()</c>. Events the code tracks explicitly are still sent.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DoNotTrackAttribute : Attribute;
