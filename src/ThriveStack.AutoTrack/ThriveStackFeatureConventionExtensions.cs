using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Features;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>.TrackFeature(...)</c> and <c>.TrackEvent(...)</c> for minimal APIs and route groups.</summary>
public static class ThriveStackFeatureConventionExtensions
{
    /// <summary>Sends <c>feature_used</c> when a request to these endpoints succeeds (the minimal-API form of <see cref="TrackFeatureAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="featureName">Wire name <c>feature_name</c>.</param>
    /// <param name="featureType"><c>core</c>, <c>secondary</c> or <c>add-on</c>; null to leave it out.</param>
    /// <param name="subFeature">Wire name <c>sub_feature_name</c>; null to leave it out.</param>
    /// <param name="properties">Handler parameters, route values or query values to copy into the event.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder TrackFeature<TBuilder>(this TBuilder builder, string featureName, string? featureType = null, string? subFeature = null, params string[] properties)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureName);
        builder.WithMetadata(new TrackFeatureAttribute(featureName) { FeatureType = featureType, SubFeature = subFeature, Properties = properties });
        builder.AddEndpointFilterFactory(FeatureEndpointFilter.Create);
        return builder;
    }

    /// <summary>Sends <paramref name="eventName"/> when a request to these endpoints succeeds (the minimal-API form of <see cref="TrackEventAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="eventName">Object + past-tense verb in snake_case.</param>
    /// <param name="properties">Handler parameters, route values or query values to copy into the event.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder TrackEvent<TBuilder>(this TBuilder builder, string eventName, params string[] properties)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        builder.WithMetadata(new TrackEventAttribute(eventName) { Properties = properties });
        builder.AddEndpointFilterFactory(FeatureEndpointFilter.Create);
        return builder;
    }
}
