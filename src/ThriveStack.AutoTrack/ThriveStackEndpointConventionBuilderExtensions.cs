using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;

namespace Microsoft.AspNetCore.Builder;

/// <summary>AutoTrack metadata for minimal APIs and route groups.</summary>
public static class ThriveStackEndpointConventionBuilderExtensions
{
    /// <summary>Requests to these endpoints produce no <c>page_visit</c> (the minimal-API form of <see cref="DoNotTrackAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder DoNotTrack<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new DoNotTrackAttribute()));
        return builder;
    }

    /// <summary>Fixes <c>context.source</c> for events of requests to these endpoints (the minimal-API form of <see cref="ThriveStackSourceAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="source"><c>product</c> or <c>marketing</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder WithThriveStackSource<TBuilder>(this TBuilder builder, string source) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        builder.Add(endpoint => endpoint.Metadata.Add(new ThriveStackSourceAttribute(source)));
        return builder;
    }
}
