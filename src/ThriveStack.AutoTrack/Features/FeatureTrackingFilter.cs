using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ThriveStack.AutoTrack.Features;

/// <summary>
/// The MVC side of <c>[TrackFeature]</c> / <c>[TrackEvent]</c>, attached by <see cref="FeatureTrackingConvention"/> to tracked
/// actions and pages only (works without
/// the page-visit middleware). The action or page-handler filter captures the arguments; the always-run result filter
/// sends the events once the result has run and the status is final. An exception that escapes the action counts as a
/// failure. Actions without the attributes pass through untouched.
/// </summary>
internal sealed class FeatureTrackingFilter(FeatureEventEmitter emitter) : IAsyncActionFilter, IAsyncPageFilter, IAsyncAlwaysRunResultFilter, IOrderedFilter
{
    // Handler-level attributes on Razor Pages are not endpoint metadata; look them up once per handler method.
    private static readonly ConcurrentDictionary<MethodInfo, (TrackFeatureAttribute? Feature, TrackEventAttribute? Event)> HandlerAttributes = new();

    /// <summary>Outermost, so it sees the outcome of every other filter.</summary>
    public int Order => int.MinValue;

    public Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var metadata = TrackedAction.For(Identity.RequestFeatures.Endpoint(context.HttpContext));
        return metadata is null ? next() : TrackActionAsync(context, next, metadata);
    }

    private async Task TrackActionAsync(ActionExecutingContext context, ActionExecutionDelegate next, ITrackedActionMetadata?[] metadata)
    {
        emitter.Begin(context.HttpContext, metadata, new ActionArguments(context.ActionArguments));
        var executed = await next();
        CompleteIfThrew(context.HttpContext, executed.Exception, executed.ExceptionHandled);
    }

    /// <summary>An exception that escaped the action or handler: its events are settled as a failure now (the result will not run).</summary>
    private void CompleteIfThrew(Microsoft.AspNetCore.Http.HttpContext http, Exception? exception, bool handled)
    {
        if (exception is not null && !handled)
            emitter.Complete(http, 500, threw: true);
    }

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var handler = context.HandlerMethod?.MethodInfo;
        var (feature, evt) = handler is null ? default : HandlerAttributes.GetOrAdd(handler, static m =>
            (m.GetCustomAttribute<TrackFeatureAttribute>(inherit: true), m.GetCustomAttribute<TrackEventAttribute>(inherit: true)));
        var metadata = TrackedAction.For(Identity.RequestFeatures.Endpoint(context.HttpContext), feature, evt);
        return metadata is null ? next() : TrackHandlerAsync(context, next, metadata);
    }

    private async Task TrackHandlerAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next, ITrackedActionMetadata?[] metadata)
    {
        emitter.Begin(context.HttpContext, metadata, new ActionArguments(context.HandlerArguments));
        var executed = await next();
        CompleteIfThrew(context.HttpContext, executed.Exception, executed.ExceptionHandled);
    }

    public Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (Identity.RequestFeatures.Tracking(context.HttpContext)?.TrackedAction is not { Completed: false })
            return next();
        return CompleteAfterResultAsync(context, next);
    }

    private async Task CompleteAfterResultAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        var threw = true;
        try
        {
            var executed = await next();
            threw = executed.Exception is not null && !executed.ExceptionHandled;
        }
        finally
        {
            emitter.Complete(context.HttpContext, context.HttpContext.Response.StatusCode, threw);
        }
    }
}
