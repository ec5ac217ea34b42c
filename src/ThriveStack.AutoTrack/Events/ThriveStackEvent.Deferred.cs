namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// What AutoTrack sets on an event without building its public shape: the page and user-agent properties
/// (<see cref="DeferredProperties"/>) and the request's ids (<see cref="DeferredContext"/>). <see cref="EventWriter"/>
/// writes them as they are; the first read of <see cref="Properties"/> or <see cref="Context"/> builds the dictionary or
/// the context from them, so code that reads the event sees what it always saw.
/// </summary>
public sealed partial class ThriveStackEvent
{
    // The bag as set, without turning Deferred into entries: what AutoTrack's own code reads.
    private Dictionary<string, object?>? _properties;

    // The context as set, without making one from DeferredContext.
    private EventContext? _context;

    /// <summary>
    /// Properties AutoTrack set without a dictionary (page and user-agent fields); null once <see cref="Properties"/>
    /// has been read, which copies them into the bag. While it is set, <see cref="PropertiesAsSet"/> is null.
    /// </summary>
    internal DeferredProperties? Deferred { get; set; }

    /// <summary><see cref="Properties"/> without turning <see cref="Deferred"/> into entries.</summary>
    internal Dictionary<string, object?>? PropertiesAsSet => _properties;

    // Both make the public value before they clear the deferred one, so a writer that finds the deferred one cleared
    // finds the value (the event is not to be touched after Track, but reading it should not lose what is sent).
    private Dictionary<string, object?> Materialize(DeferredProperties deferred)
    {
        var properties = _properties ?? new Dictionary<string, object?>(deferred.Count, StringComparer.Ordinal);
        deferred.CopyTo(properties);
        Volatile.Write(ref _properties, properties);
        Deferred = null;
        return properties;
    }

    /// <summary>
    /// The request whose ids are this event's whole context (the enricher's, for an event tracked without one): written
    /// from there, and turned into an <see cref="EventContext"/> only when someone reads <see cref="Context"/>.
    /// </summary>
    internal Identity.ThriveStackRequestContext? DeferredContext { get; set; }

    /// <summary><see cref="Context"/> without making one from <see cref="DeferredContext"/>.</summary>
    internal EventContext? ContextAsSet => _context;

    private EventContext MaterializeContext(Identity.ThriveStackRequestContext request)
    {
        var context = request.ToEventContext();
        Volatile.Write(ref _context, context);
        DeferredContext = null;
        return context;
    }
}
