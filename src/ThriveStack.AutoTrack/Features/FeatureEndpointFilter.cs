using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// The minimal-API side of <c>.TrackFeature(...)</c> / <c>.TrackEvent(...)</c>: an endpoint filter that captures the
/// handler's arguments by parameter name and sends the events when the handler has returned. Parameter names are read
/// once, when the endpoint is built.
/// </summary>
internal static class FeatureEndpointFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        ThriveStackMarker.EnsureAdded(factory.ApplicationServices, ".TrackFeature(...) or .TrackEvent(...) on " + factory.MethodInfo.Name);
        var names = factory.MethodInfo.GetParameters().Select(p => p.Name).ToArray();
        var emitter = factory.ApplicationServices.GetRequiredService<FeatureEventEmitter>();
        return async invocation =>
        {
            var http = invocation.HttpContext;
            var metadata = TrackedAction.For(Identity.RequestFeatures.Endpoint(http));
            if (metadata is null)
                return await next(invocation);

            emitter.Begin(http, metadata, new ActionArguments(names, invocation.Arguments));
            object? result;
            try
            {
                result = await next(invocation);
            }
            catch
            {
                emitter.Complete(http, 500, threw: true);
                throw;
            }
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            emitter.Complete(http, status, threw: false);
            return result;
        };
    }
}
