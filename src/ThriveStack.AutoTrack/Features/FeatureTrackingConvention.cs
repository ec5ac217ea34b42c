using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// Attaches the <see cref="FeatureTrackingFilter"/> only to the controller actions and Razor Pages that carry
/// <c>[TrackFeature]</c> or <c>[TrackEvent]</c> (on the action, its controller, the page model or a handler). Every other
/// action keeps MVC's filter-free fast path: a global filter would cost each of them a few hundred nanoseconds.
/// </summary>
internal sealed class FeatureTrackingConvention(FeatureTrackingFilter filter) : IActionModelConvention, IPageApplicationModelConvention
{
    public void Apply(ActionModel action)
    {
        if (action.Attributes.OfType<ITrackedActionMetadata>().Any() || action.Controller.Attributes.OfType<ITrackedActionMetadata>().Any())
            action.Filters.Add(filter);
    }

    public void Apply(PageApplicationModel model)
    {
        if (model.HandlerTypeAttributes.OfType<ITrackedActionMetadata>().Any() ||
            model.EndpointMetadata.OfType<ITrackedActionMetadata>().Any() ||
            model.HandlerMethods.Any(h => h.Attributes.OfType<ITrackedActionMetadata>().Any()))
        {
            model.Filters.Add(filter);
        }
    }
}
