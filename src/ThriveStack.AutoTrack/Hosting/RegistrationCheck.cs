using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Hosting;

/// <summary>
/// Fails the app at startup, with <see cref="ThriveStackMarker.NotAddedMessage"/>, when it uses AutoTrack without
/// <c>AddThriveStack()</c>: <c>[TrackFeature]</c>/<c>[TrackEvent]</c> on a controller, action or page, an
/// <see cref="IThriveStackTracker"/> in a constructor, handler or <c>[Inject]</c> property, or <c>.TrackFeature(...)</c>
/// on an endpoint. Without the check, the attribute would do nothing and the tracker would fail at request time with
/// the container's generic message. It reads the app's own assembly and its endpoints only when AutoTrack is missing.
/// </summary>
internal sealed class RegistrationCheck(IWebHostEnvironment environment) : IStartupFilter
{
    /// <summary>For tests: the assembly to read instead of the app's.</summary>
    internal Assembly? AppAssembly { get; init; }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app); // the endpoints are mapped by now
        var services = app.ApplicationServices;
        if (ThriveStackMarker.IsAdded(services))
            return;
        var use = FirstUseIn(AppAssembly ?? LoadAppAssembly()) ?? FirstUseIn(services.GetService<EndpointDataSource>());
        if (use is not null)
            throw new InvalidOperationException(ThriveStackMarker.NotAddedMessage(use));
    };

    private Assembly? LoadAppAssembly()
    {
        try
        {
            return string.IsNullOrEmpty(environment.ApplicationName) ? null : Assembly.Load(new AssemblyName(environment.ApplicationName));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A diagnostic: a type trimmed away is not used, so there is nothing to report about it.")]
    internal static string? FirstUseIn(Assembly? assembly)
    {
        if (assembly is null)
            return null;
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }
        foreach (var type in types)
        {
            if (type is not null && FirstUseIn(type) is { } use)
                return use;
        }
        return null;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "A diagnostic over the members that remain; trimmed members are not used.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "A diagnostic over the members that remain; trimmed members are not used.")]
    internal static string? FirstUseIn(Type type)
    {
        if (type.IsDefined(typeof(TrackFeatureAttribute), false) || type.IsDefined(typeof(TrackEventAttribute), false))
            return $"[TrackFeature]/[TrackEvent] on {type.FullName}";
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var constructor in type.GetConstructors(Declared))
        {
            if (constructor.GetParameters().Any(IsTracker))
                return $"IThriveStackTracker injected into {type.FullName}";
        }
        foreach (var property in type.GetProperties(Declared))
        {
            if (property.PropertyType == typeof(IThriveStackTracker))
                return $"IThriveStackTracker in {type.FullName}.{property.Name}";
        }
        foreach (var method in type.GetMethods(Declared))
        {
            if (method.IsDefined(typeof(TrackFeatureAttribute), false) || method.IsDefined(typeof(TrackEventAttribute), false))
                return $"[TrackFeature]/[TrackEvent] on {type.FullName}.{method.Name}";
            if (method.GetParameters().Any(IsTracker))
                return $"IThriveStackTracker as a parameter of {type.FullName}.{method.Name}";
        }
        return null;
    }

    private static bool IsTracker(ParameterInfo parameter) => parameter.ParameterType == typeof(IThriveStackTracker);

    private static string? FirstUseIn(EndpointDataSource? endpoints)
    {
        if (endpoints is null)
            return null;
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ITrackedActionMetadata>() is not null)
                return $".TrackFeature(...) or .TrackEvent(...) on {endpoint.DisplayName}";
        }
        return null;
    }
}
