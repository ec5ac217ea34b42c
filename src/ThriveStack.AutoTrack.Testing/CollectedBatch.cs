namespace ThriveStack.AutoTrack.Testing;

/// <summary>One request the collector answered.</summary>
/// <param name="Number">Order of arrival, from 1.</param>
/// <param name="StatusCode">What the collector answered.</param>
/// <param name="EventCount">Events in the body (0 when the body was not a JSON array).</param>
/// <param name="Problems">Why it was refused; empty when accepted.</param>
/// <param name="ReceivedAt">When it arrived (wall clock).</param>
/// <param name="BodyBytes">The request's <c>Content-Length</c>, when it sent one.</param>
public sealed record CollectedBatch(int Number, int StatusCode, int EventCount, IReadOnlyList<string> Problems, DateTimeOffset ReceivedAt, long? BodyBytes);
