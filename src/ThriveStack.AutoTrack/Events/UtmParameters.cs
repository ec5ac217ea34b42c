namespace ThriveStack.AutoTrack.Events;

/// <summary>The five UTM attribution parameters. Each is optional; unset ones are not sent.</summary>
/// <param name="Source">Wire name <c>utm_source</c>.</param>
/// <param name="Medium">Wire name <c>utm_medium</c>.</param>
/// <param name="Campaign">Wire name <c>utm_campaign</c>.</param>
/// <param name="Term">Wire name <c>utm_term</c>.</param>
/// <param name="Content">Wire name <c>utm_content</c>.</param>
public sealed record UtmParameters(
    string? Source = null,
    string? Medium = null,
    string? Campaign = null,
    string? Term = null,
    string? Content = null)
{
    /// <summary>Copies the set parameters into <paramref name="properties"/> under their wire names.</summary>
    /// <param name="properties">The property bag to add to.</param>
    public void AddTo(IDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        AddIfSet(properties, ReservedProperties.UtmSource, Source);
        AddIfSet(properties, ReservedProperties.UtmMedium, Medium);
        AddIfSet(properties, ReservedProperties.UtmCampaign, Campaign);
        AddIfSet(properties, ReservedProperties.UtmTerm, Term);
        AddIfSet(properties, ReservedProperties.UtmContent, Content);
    }

    private static void AddIfSet(IDictionary<string, object?> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            properties[name] = value;
    }
}
